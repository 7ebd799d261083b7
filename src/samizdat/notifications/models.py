"""Who gets mail: readers' confirmed addresses and their subscriptions, staff preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    """An email address that asked for mail, and whether its owner confirmed it.

    Nothing is sent to an address before it is confirmed (double opt-in); once
    confirmed it stays so. Confirmation mails are counted per day, so the form cannot
    be used to bomb an address with them.
    """

    email = models.EmailField(_("email"), max_length=254, unique=True)  # lower case
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    mails_day = models.DateField(null=True, blank=True, editable=False)
    mails_that_day = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """One address's wish for mail: a post's new comments (all, or replies), or new posts."""

    class Kind(models.TextChoices):
        ALL = "all", _("Every new comment")
        REPLIES = "replies", _("Replies to my comments")
        POSTS = "posts", _("New posts")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    post = models.ForeignKey(
        "publishing.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The newest comment already mailed (or there when the subscription began), and when.
    last_comment_id = models.BigIntegerField(default=0, editable=False)
    last_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "post"],
                condition=models.Q(post__isnull=False),
                name="subscription_one_per_post",
            ),
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=models.Q(kind="posts"),
                name="subscription_one_for_posts",
            ),
        ]
        indexes = [models.Index(fields=["post", "kind"], name="subscription_post_idx")]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.get_kind_display()}"


class StaffMail(models.Model):
    """What mail a staff member gets about new comments."""

    class Choice(models.TextChoices):
        ALL = "all", _("Every new comment (held or not)")
        HELD = "held", _("Only comments held for moderation")
        NONE = "none", _("None")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_mail"
    )
    comments = models.CharField(_("comment mail"), max_length=4, choices=Choice.choices)

    class Meta:
        verbose_name = _("staff mail setting")
        verbose_name_plural = _("staff mail settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_comments_display()}"
