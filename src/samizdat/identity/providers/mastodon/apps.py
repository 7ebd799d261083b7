from django.apps import AppConfig


class MastodonProviderConfig(AppConfig):
    name = "samizdat.identity.providers.mastodon"
    label = "samizdat_mastodon"
    verbose_name = "Mastodon login"
