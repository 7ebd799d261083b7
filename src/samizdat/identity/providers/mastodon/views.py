"""Mastodon's OAuth2 endpoints on the reader's own server."""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import statekit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
)
from django.core.exceptions import PermissionDenied
from django.http import Http404

from samizdat.identity.models import MastodonInstance
from samizdat.identity.providers.mastodon.instances import instance_url


def instance_app(instance: MastodonInstance) -> SocialApp:
    """An unsaved app holding one server's credentials, as allauth expects an app."""
    return SocialApp(
        provider="mastodon",
        name="Mastodon",
        client_id=instance.client_id,
        secret=instance.client_secret,
        settings={"instance": instance.domain},
    )


class MastodonOAuth2Adapter(OAuth2Adapter):
    provider_id = "mastodon"
    domain = ""

    @property
    def authorize_url(self):
        return instance_url(self.domain, "/oauth/authorize")

    @property
    def access_token_url(self):
        return instance_url(self.domain, "/oauth/token")

    @property
    def profile_url(self):
        return instance_url(self.domain, "/api/v1/accounts/verify_credentials")

    def get_provider(self):
        """On the callback, find the server this login started with from its state."""
        from samizdat.identity.providers.mastodon.provider import MastodonProvider

        if getattr(self, "_provider", None) is not None:
            return self._provider
        stashed = statekit.get_states(self.request).get(self.request.GET.get("state", ""))
        domain = stashed[0].get("instance") if stashed else None
        instance = MastodonInstance.objects.filter(domain=domain).first() if domain else None
        if instance is None:
            # No such login under way: let allauth report the unknown state.
            app = SocialApp(
                provider="mastodon",
                name="Mastodon",
                client_id="",
                secret="",
                settings={"instance": ""},
            )
        else:
            app = instance_app(instance)
        self.domain = app.settings["instance"]
        self._provider = MastodonProvider(self.request, app=app)
        return self._provider

    def complete_login(self, request, app, token, **kwargs):
        if not self.domain:
            raise PermissionDenied("unknown Mastodon server")
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}, timeout=10
            )
            response.raise_for_status()
            data = response.json()
        return self.get_provider().sociallogin_from_response(request, data)


def oauth2_login(request, *args, **kwargs):
    """A Mastodon login starts from the comment form, which asks for the server."""
    raise Http404("Start a Mastodon login from the comment form.")


oauth2_callback = OAuth2CallbackView.adapter_view(MastodonOAuth2Adapter)
