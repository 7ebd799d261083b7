from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces: base templates, rendering, and the serve and demo commands."""

    name = "samizdat.core"
    label = "samizdat_core"
    verbose_name = "samizdat"

    def ready(self):
        from django.conf import settings
        from django.contrib import admin

        # The admin is the site's, not "Django administration".
        admin.site.site_header = settings.SAMIZDAT_SITE_NAME
        admin.site.site_title = settings.SAMIZDAT_SITE_NAME
        admin.site.index_title = "Site administration"
