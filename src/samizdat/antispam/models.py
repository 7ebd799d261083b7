"""Words and addresses that hold a comment, or file it as spam (WordPress's two lists)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpamKey(models.Model):
    """A word, name, email, URL or IP address (or a part of one) to watch for."""

    class Kind(models.TextChoices):
        MODERATION = "moderation", _("Hold for moderation")
        DISALLOWED = "disallowed", _("Mark as spam")

    kind = models.CharField(_("when found"), max_length=12, choices=Kind.choices)
    text = models.CharField(
        _("text"),
        max_length=200,
        help_text=_(
            "Matched without case inside the name, email, website, IP address, user agent "
            "and text of each new comment. \u201cpress\u201d matches \u201cWordPress\u201d."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("moderation or disallowed key")
        verbose_name_plural = _("moderation and disallowed keys")
        ordering = ["kind", "text"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "text"], name="spamkey_kind_text_unique")
        ]

    def __str__(self) -> str:
        return self.text


class SpamModel(models.Model):
    """The learned filter as last trained: one row, read by every worker."""

    created_at = models.DateTimeField(_("trained"), auto_now_add=True)
    spam_examples = models.PositiveIntegerField(_("spam examples"))
    ham_examples = models.PositiveIntegerField(_("approved examples"))
    abstains = models.BooleanField(
        _("too few examples"),
        help_text=_("Too few examples to learn from: the filter passes every comment."),
    )
    data = models.BinaryField(_("model"), blank=True)

    class Meta:
        verbose_name = _("learned spam filter")
        verbose_name_plural = _("learned spam filter")

    def __str__(self) -> str:
        return f"{self.spam_examples} spam, {self.ham_examples} approved"
