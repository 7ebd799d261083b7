"""An allauth provider for Mastodon: any server, chosen by the reader."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from samizdat.identity.providers.mastodon.instances import SCOPES
from samizdat.identity.providers.mastodon.views import MastodonOAuth2Adapter


class MastodonAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("url") or None

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar") or None

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("acct") or super().to_str()


class MastodonProvider(OAuth2Provider):
    id = "mastodon"
    name = "Mastodon"
    account_class = MastodonAccount
    oauth2_adapter_class = MastodonOAuth2Adapter
    pkce_enabled_default = True  # Mastodon verifies PKCE (S256) since 4.3.

    @property
    def domain(self) -> str:
        return self.app.settings.get("instance", "")

    def get_default_scope(self):
        return SCOPES.split()

    def get_oauth2_adapter(self, request):
        adapter = super().get_oauth2_adapter(request)
        adapter.domain = self.domain
        return adapter

    def extract_uid(self, data):
        # Account ids are per server: the domain makes them unique.
        return f"{data['id']}@{self.domain}"

    def extract_common_fields(self, data):
        return {
            "username": data.get("username"),
            "name": data.get("display_name") or data.get("username"),
        }

    def extract_email_addresses(self, data):
        return []  # Mastodon shares no email address.


provider_classes = [MastodonProvider]
