"""An uploaded image and the smaller copies made of it for srcset."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaFile(models.Model):
    file = models.FileField(_("file"), upload_to="", max_length=300)
    original_name = models.CharField(_("uploaded as"), max_length=300)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(_("bytes"))
    alt = models.CharField(
        _("alt text"), max_length=500, blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )  # fmt: skip
    # [{"width": 640, "height": 427, "url": "...", "webp": "..." or ""}, ...], narrowest first.
    variants = models.JSONField(default=list, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    source_url = models.URLField(_("imported from"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("media library")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def url(self) -> str:
        return self.file.url

    def srcset(self) -> str:
        entries = [f"{v['url']} {v['width']}w" for v in self.variants]
        return ", ".join([*entries, f"{self.url} {self.width}w"])

    def webp_srcset(self) -> str:
        return ", ".join(f"{v['webp']} {v['width']}w" for v in self.variants if v.get("webp"))


class MediaSource(models.Model):
    """An address an image was downloaded from (an import): fetched once, however many
    addresses serve the same bytes."""

    url = models.URLField(max_length=1000, unique=True)
    media = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="sources")

    def __str__(self) -> str:
        return self.url
