"""An allauth provider for WordPress.com's OAuth2 ("Log in with WordPress.com")."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from samizdat.identity.providers.wordpress_com.views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL") or None

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL") or None

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("username") or super().to_str()


def email_is_verified(data: dict) -> bool:
    """Trust the email only when WordPress.com says the account is verified.

    ``verified`` is the account's verification; v1.1 also has ``email_verified`` for the
    address itself, and when present it must agree.
    """
    return data.get("verified") is True and data.get("email_verified", True) is True


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        # "auth" grants /me only: the least WordPress.com offers.
        return ["auth"]

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {
            "email": data.get("email") or None,
            "email_verified": email_is_verified(data),
            "username": data.get("username"),
            "name": data.get("display_name"),
        }

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        return [EmailAddress(email=email, verified=email_is_verified(data), primary=True)]


provider_classes = [WordPressComProvider]
