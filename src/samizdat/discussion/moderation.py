"""The moderation policy: whether a comment may be posted, and whether it waits for approval.

Views never decide this. ``get_moderator()`` returns the policy named by
``SAMIZDAT_COMMENTS_MODERATOR``; subclass ``CommentModerator`` to change it.
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import cache

from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samizdat.discussion.app_settings import app_settings
from samizdat.discussion.models import Comment, CommentStatus


class CommentRejected(Exception):
    """A comment the policy refuses; ``message`` is shown to the reader as a form error."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyPosted(CommentRejected):
    """The same author sent the same text minutes ago: a retry of a stored comment (the
    answer may have been lost on its way). ``comment`` is the stored one."""

    def __init__(self, message: str, comment: Comment):
        super().__init__(message)
        self.comment = comment


class CommentModerator:
    """WordPress's default policy, configured by the ``SAMIZDAT_COMMENTS_*`` settings.

    - ``previously_approved``: a comment is approved when its author already has an
      approved comment (matched by user, else by name and email); otherwise it waits.
    - ``all``: every comment waits for approval.
    - ``none``: every comment is approved at once.

    Comments close on a post when its author closes them, or ``CLOSE_AFTER_DAYS``
    after publication. One author or IP address may comment once per
    ``FLOOD_SECONDS``, and the same text from the same author within
    ``DUPLICATE_SECONDS`` is refused as a duplicate.
    """

    modes = ("previously_approved", "all", "none")

    def __init__(self) -> None:
        self.mode = app_settings.MODERATION
        if self.mode not in self.modes:
            raise ValueError(f"SAMIZDAT_COMMENTS_MODERATION must be one of {self.modes}")
        self.close_after_days = app_settings.CLOSE_AFTER_DAYS
        self.flood_seconds = app_settings.FLOOD_SECONDS
        self.duplicate_seconds = app_settings.DUPLICATE_SECONDS

    def comments_open(self, post) -> bool:
        """Return whether readers may comment on the post now."""
        if not post.comments_open or not post.is_live:
            return False
        if self.close_after_days is not None:
            return timezone.now() < post.published_at + timedelta(days=self.close_after_days)
        return True

    def allow(self, comment: Comment) -> None:
        """Raise CommentRejected when the comment may not be posted at all."""
        if not self.comments_open(comment.entry):
            raise CommentRejected(_("Sorry, comments are closed for this item."))
        self.check_duplicate(comment)
        self.check_flood(comment)

    def _same_author(self, comment: Comment) -> Q:
        if comment.identity_provider:
            return Q(identity_provider=comment.identity_provider, identity_uid=comment.identity_uid)
        if comment.user_id:
            return Q(user_id=comment.user_id)
        return Q(user__isnull=True, author_email__lower=comment.author_email.lower())

    def check_duplicate(self, comment: Comment) -> None:
        since = comment.created_at - timedelta(seconds=self.duplicate_seconds)
        duplicate = Comment.objects.filter(
            self._same_author(comment),
            post_id=comment.post_id,
            page_id=comment.page_id,
            body=comment.body,
            created_at__gte=since,
        ).exclude(status=CommentStatus.TRASH)
        found = duplicate.order_by("-created_at").values_list("pk", flat=True).first()
        if found is None:
            return
        stored = Comment.objects.get(pk=found)
        message = _("Duplicate comment detected; it looks as though you\u2019ve already said that!")
        if stored.status in (CommentStatus.APPROVED, CommentStatus.PENDING):
            raise AlreadyPosted(message, stored)
        raise CommentRejected(message)

    def check_flood(self, comment: Comment) -> None:
        if self.flood_seconds <= 0:
            return
        since = comment.created_at - timedelta(seconds=self.flood_seconds)
        same_source = self._same_author(comment)
        if comment.ip_address:
            same_source |= Q(ip_address=comment.ip_address)
        last = (
            Comment.objects.filter(same_source, created_at__gte=since)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            wait = max(
                1, math.ceil(self.flood_seconds - (comment.created_at - last).total_seconds())
            )
            raise CommentRejected(
                ngettext(
                    "You are posting comments too quickly. Please wait %(seconds)d second, "
                    "then press the button again.",
                    "You are posting comments too quickly. Please wait %(seconds)d seconds, "
                    "then press the button again.",
                    wait,
                )
                % {"seconds": wait}
            )

    def needs_approval(self, comment: Comment) -> bool:
        """Return whether the comment waits in the moderation queue."""
        if self.mode == "none":
            return False
        if self.mode == "all":
            return True
        if comment.user_id and comment.user.is_staff and not comment.identity_provider:
            return False
        # WordPress's rule: the author has a previously approved comment. A logged-in
        # reader is known by the identity they comment with, not by the name they show.
        known = Comment.objects.filter(status=CommentStatus.APPROVED)
        if comment.identity_provider:
            known = known.filter(
                identity_provider=comment.identity_provider, identity_uid=comment.identity_uid
            )
        elif comment.user_id:
            known = known.filter(user_id=comment.user_id)
        else:
            known = known.filter(
                user__isnull=True,
                author_email__lower=comment.author_email.lower(),
                author_name=comment.author_name,
            )
        return not known.exists()

    def status_for(self, comment: Comment) -> str:
        return CommentStatus.PENDING if self.needs_approval(comment) else CommentStatus.APPROVED


@cache
def _moderator_class(path: str) -> type[CommentModerator]:
    return import_string(path)


def get_moderator() -> CommentModerator:
    """Return the configured moderation policy."""
    return _moderator_class(app_settings.MODERATOR)()


def can_moderate(user) -> bool:
    """Return whether a user may approve, edit and remove comments (``change_comment``)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("discussion.change_comment")
    )
