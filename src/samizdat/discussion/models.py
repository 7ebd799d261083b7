"""Comments on posts, threaded by parent, with their moderation status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from samizdat.core import markup, wordpress


def render_comment(body: str, body_format: str) -> str:
    """Render a comment's text in its format to sanitized HTML."""
    if body_format == CommentFormat.WORDPRESS:
        return markup.sanitize_comment_html(wordpress.render_wordpress(body))
    return markup.render_comment_markdown(body)


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    TRASH = "trash", _("Trash")


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    PINGBACK = "pingback", _("Pingback")
    TRACKBACK = "trackback", _("Trackback")


class CommentFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    WORDPRESS = "wordpress", _("WordPress HTML")


class Comment(models.Model):
    # A comment is on a post or, as WordPress allows, on a page: exactly one of the two.
    post = models.ForeignKey(
        "publishing.Post",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("post"),
        null=True,
        blank=True,
    )
    page = models.ForeignKey(
        "publishing.Page",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("page"),
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # The top-level comment of the thread (None for a top-level comment): it lets one
    # query fetch every reply on a page of threads, whatever their depth.
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)

    author_name = models.CharField(_("name"), max_length=200)
    author_email = models.EmailField(_("email"), max_length=254, blank=True)
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("user"),
    )

    # The identity a logged-in reader commented with; empty for guests.
    identity_provider = models.CharField(_("login provider"), max_length=40, blank=True)
    identity_uid = models.CharField(_("login account id"), max_length=255, blank=True)
    author_avatar_url = models.URLField(_("avatar"), max_length=500, blank=True)

    body = models.TextField(_("comment"))
    body_format = models.CharField(
        max_length=10, choices=CommentFormat.choices, default=CommentFormat.MARKDOWN
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
    )
    # What the status was before the comment went to Spam or Trash: "Not spam" and
    # "Restore" put it back, as WordPress does (its _wp_trash_meta_status).
    previous_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, blank=True, editable=False
    )
    # What the spam checks said of it when it was posted ("held: 3 links"), for the desk.
    moderation_reasons = models.JSONField(default=list, blank=True, editable=False)
    # When moderation last changed the status: Spam and Trash empty themselves this
    # long after a comment went there (SAMIZDAT_TRASH_DAYS), not after it was written.
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The learned spam filter's probability that this is spam, when it scored it.
    spam_score = models.FloatField(_("spam score"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, page__isnull=True)
                | models.Q(post__isnull=True, page__isnull=False),
                name="comment_on_post_or_page",
            ),
        ]
        indexes = [
            models.Index(
                fields=["page", "status", "parent", "created_at", "id"],
                name="comment_page_toplevel_idx",
            ),
            # A page of top-level comments, oldest first.
            models.Index(
                fields=["post", "status", "parent", "created_at", "id"], name="comment_toplevel_idx"
            ),
            # All replies in the threads shown on a page.
            models.Index(fields=["root", "created_at"], name="comment_thread_idx"),
            # Moderation ("previously approved") and the duplicate check.
            # Compared without case, as WordPress does: LOWER(author_email) = '...'
            # (``__iexact`` would be a LIKE, which no index serves on SQLite).
            models.Index(Lower("author_email"), "status", name="comment_author_email_idx"),
            models.Index(
                fields=["identity_provider", "identity_uid", "status"], name="comment_identity_idx"
            ),
            # Flood throttle by address.
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            # Recent comments (the site's comment feed), newest first. Not led by status:
            # without statistics SQLite would take a status-led index for thread queries.
            models.Index(fields=["-created_at", "-id"], name="comment_created_idx"),
            # A post's comment feed, newest first.
            models.Index(fields=["post", "-created_at", "-id"], name="comment_post_recent_idx"),
            # The desk's small queues, newest first, and their counts. Partial: only a query
            # for that status can use one, so no thread query is ever drawn to them.
            *(
                models.Index(
                    fields=["-created_at", "-id"],
                    condition=models.Q(status=status),
                    name=f"comment_{status}_queue_idx",
                )
                for status in ("pending", "spam", "trash")
            ),
            # The Spam queue, most doubtful first: a real comment filed there is found
            # near the top. Unscored spam (imported, or filed before a model) goes last.
            models.Index(
                Coalesce("spam_score", Value(2.0)),
                F("created_at").desc(),
                F("id").desc(),
                condition=models.Q(status="spam"),
                name="comment_spam_score_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {markup.truncate_words(self.body, 8)}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored status: the count receiver only runs when approval changes.
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def entry(self):
        """The post or page the comment is on."""
        return self.post if self.post_id else self.page

    @property
    def was_approved(self) -> bool:
        """Return whether the stored row (as last loaded or saved) is approved."""
        return getattr(self, "_loaded_status", None) == CommentStatus.APPROVED

    def save(self, *args, **kwargs):
        # Control characters (a\x01b) are not text: feeds and exports cannot carry them.
        for name in ("body", "author_name", "author_email", "author_url", "user_agent"):
            setattr(self, name, markup.strip_controls(getattr(self, name)))
        if self.parent_id is not None and self.root_id is None:
            self.root_id = self.parent.root_id or self.parent_id
            self.depth = self.parent.depth + 1
        self.body_html = render_comment(self.body, self.body_format)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def body_safe(self) -> SafeString:
        # body_html was sanitized by nh3 when it was saved.
        return mark_safe(self.body_html)  # noqa: S308

    @property
    def is_approved(self) -> bool:
        return self.status == CommentStatus.APPROVED

    @property
    def avatar_url(self) -> str:
        if self.author_avatar_url:
            return self.author_avatar_url
        from samizdat.identity.avatars import guest_avatar_url

        return guest_avatar_url(self.author_email, self.author_name)

    def get_identity_provider_label(self) -> str:
        """Return the shown name of the provider the comment was posted through."""
        from samizdat.identity.app_settings import provider_label

        return provider_label(self.identity_provider)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_absolute_url(self) -> str:
        from samizdat.discussion.threads import comment_url

        return comment_url(self)
