// A real OpenID Connect server (panva/oidc-provider) for samizdat's tests: it requires
// and verifies PKCE. Interactions finish at once as the account "pat", so the tests can
// drive the authorization code flow over plain HTTP.
//
// usage: node server.mjs PORT REDIRECT_URI
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const redirectUri = process.argv[3];
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: "samizdat",
    client_secret: "pkce-test-secret",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "picture"] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, name: "Pat Kce", email: "pat@example.org",
                           email_verified: true, picture: "https://example.org/pat.png" }),
  }),
  cookies: { keys: ["test-only-not-secret"] },
});

const handle = provider.callback();
http.createServer(async (req, res) => {
  if (req.url.startsWith("/interaction/")) {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId: "pat" } },
                                           { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session.accountId,
                                         clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } },
                                         { mergeWithLastSubmission: true });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
    return;
  }
  handle(req, res);
}).listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
