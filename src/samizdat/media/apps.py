from django.apps import AppConfig


class MediaConfig(AppConfig):
    """The media library: uploaded images, checked, stripped of EXIF and resized."""

    name = "samizdat.media"
    label = "media"
    verbose_name = "Media"
