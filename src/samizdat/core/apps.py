from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces: base templates, rendering, and the serve and demo commands."""

    name = "samizdat.core"
    label = "samizdat_core"
    verbose_name = "samizdat"

    def ready(self):
        from django.core.signals import setting_changed

        from samizdat.core import reversing

        setting_changed.connect(reversing.forget, dispatch_uid="samizdat-core-reversing")
