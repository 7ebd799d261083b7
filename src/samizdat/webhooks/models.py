"""Webhooks: where to send which events, with what secret, and every delivery's outcome."""

import base64
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

EVENTS = [
    ("comment.posted", _("Comment posted")),
    ("comment.approved", _("Comment approved")),
    ("comment.spam", _("Comment marked as spam")),
    ("comment.deleted", _("Comment deleted")),
    ("post.published", _("Post published")),
]


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class Webhook(models.Model):
    url = models.URLField(_("URL"), max_length=500, help_text=_("https:// address to POST to."))
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or being sent) to one webhook: its tries and the last answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} \u2192 {self.webhook}"
