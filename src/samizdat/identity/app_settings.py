"""The identity app's settings, each a ``SAMIZDAT_IDENTITY_*`` Django setting with a default."""

from django.conf import settings

#: Kinds `samizdat providers add` knows, with the allauth provider id and shown name.
PROVIDER_KINDS = {
    "wordpress_com": ("wordpress_com", "WordPress.com"),
    "twitter": ("twitter_oauth2", "X"),
    "facebook": ("facebook", "Facebook"),
    "github": ("github", "GitHub"),
    "google": ("google", "Google"),
    "openid_connect": ("openid_connect", "OpenID Connect"),
    "mastodon": ("mastodon", "Mastodon"),
}

#: Where each provider's app is registered: what a button for a provider that is not set
#: up yet (on the demo site) tells the site owner.
PROVIDER_SETUP = {
    "wordpress_com": "developer.wordpress.com/apps, \u201cCreate New Application\u201d",
    "twitter": "developer.x.com, your app\u2019s \u201cUser authentication settings\u201d "
    "(OAuth 2.0, type \u201cWeb App\u201d)",
    "facebook": "developers.facebook.com/apps, product \u201cFacebook Login\u201d",
}

PROVIDER_LABELS = {provider_id: name for provider_id, name in PROVIDER_KINDS.values()}


def provider_label(provider_id: str) -> str:
    """Return a provider's shown name from its allauth id."""
    return PROVIDER_LABELS.get(provider_id) or provider_id.replace("_", " ").title()


class AppSettings:
    prefix = "SAMIZDAT_IDENTITY_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def AVATARS(self) -> str:
        """``local`` (generated here, no third-party request) or ``gravatar``."""
        return self._setting("AVATARS", "local")

    @property
    def EMAIL_ACCOUNTS(self) -> bool:
        """Offer readers an email-and-password account (verified by email) to comment with."""
        return bool(self._setting("EMAIL_ACCOUNTS", False))

    @property
    def TEST_PROVIDER_URLS(self) -> str | None:
        """Tests only: send every provider's token and profile requests to this base URL."""
        return self._setting("TEST_PROVIDER_URLS", None)


app_settings = AppSettings()
