"""Per-instance OAuth credentials for Mastodon, registered on first use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MastodonInstance(models.Model):
    """The app samizdat registered with one Mastodon server (POST /api/v1/apps)."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    client_id = models.CharField(max_length=255)
    client_secret = models.CharField(max_length=255)
    redirect_uri = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mastodon server")
        verbose_name_plural = _("Mastodon servers")

    def __str__(self) -> str:
        return self.domain
