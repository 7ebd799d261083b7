"""The media settings, each a ``SAMIZDAT_*`` Django setting with a default."""

from django.conf import settings


class AppSettings:
    def _setting(self, name, default):
        return getattr(settings, name, default)

    @property
    def MAX_MB(self) -> float:
        """The largest upload accepted, in megabytes."""
        return float(self._setting("SAMIZDAT_UPLOAD_MAX_MB", 20))

    @property
    def MAX_PIXELS(self) -> int:
        """Larger images are refused (decompression bombs): 60 megapixels by default."""
        return int(self._setting("SAMIZDAT_UPLOAD_MAX_PIXELS", 60_000_000))

    @property
    def WIDTHS(self) -> list[int]:
        """The widths made for srcset (only those narrower than the original)."""
        return list(self._setting("SAMIZDAT_IMAGE_WIDTHS", [640, 1024, 1600]))


app_settings = AppSettings()
