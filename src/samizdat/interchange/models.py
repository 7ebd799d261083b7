"""What an import remembers: where each object came from, and the old links to it."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedObject(models.Model):
    """One object brought in from another system, keyed by its id there.

    Importing the same file again finds the object here and updates it in place.
    ``source`` names the system and site (e.g. ``wxr:https://example.wordpress.com``),
    ``kind`` the type there (post, page, comment, author, category, tag).
    """

    source = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    external_id = models.CharField(max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported object")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="imported_object_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_target_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"


class LegacyURL(models.Model):
    """An old address (path, or ``?p=ID``) that redirects with 301 to an imported object."""

    path = models.CharField(_("old path"), max_length=1000, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("old link")

    def __str__(self) -> str:
        return self.path
