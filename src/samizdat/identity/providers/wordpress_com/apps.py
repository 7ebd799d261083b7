from django.apps import AppConfig


class WordPressComProviderConfig(AppConfig):
    name = "samizdat.identity.providers.wordpress_com"
    label = "samizdat_wordpress_com"
    verbose_name = "WordPress.com login"
