from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces: base templates, rendering, and the serve and demo commands."""

    name = "samizdat.core"
    label = "samizdat_core"
    verbose_name = "samizdat"
