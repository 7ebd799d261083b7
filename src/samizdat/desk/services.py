"""The comments desk's queues and actions, as plain functions; the views stay thin.

Every page of a queue costs the same few queries whatever the number of comments: the
small queues (Pending, Spam, Trash) are read and counted through partial indexes, the
Approved count is the sum of the stored per-post counts, and the authors' histories of a
page come from one grouped query.
"""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.db.models import Count, F, Func, Q, QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samizdat.desk.app_settings import app_settings
from samizdat.discussion import services as discussion
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.threads import CountedPaginator
from samizdat.publishing.models import Page as SitePage
from samizdat.publishing.models import Post

#: The queues, as WordPress names them: All is what readers may see or will (pending
#: and approved); Spam and Trash are apart.
QUEUES = {
    "all": _("All"),
    "pending": _("Pending"),
    "approved": _("Approved"),
    "spam": _("Spam"),
    "trash": _("Trash"),
}

UNDO_SALT = "samizdat.desk.undo"


@dataclass
class QueueFilter:
    """What a queue page shows: a status, perhaps one post or page, perhaps a search."""

    status: str = "all"
    post_id: int | None = None
    page_id: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query) -> QueueFilter:
        status = query.get("status", "all")
        return cls(
            status=status if status in QUEUES else "all",
            post_id=parse_id(query.get("post")),
            page_id=parse_id(query.get("page_id")),
            search=" ".join(query.get("q", "").split())[:200],
        )

    @property
    def entry_filter(self) -> dict:
        if self.post_id:
            return {"post_id": self.post_id}
        if self.page_id:
            return {"page_id": self.page_id}
        return {}


def parse_id(value) -> int | None:
    """A positive id the database can hold, from text the request gave; else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


#: The queues read and counted through their partial indexes.
SMALL_QUEUES = (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH)


def in_status(status: str) -> QuerySet[Comment]:
    """The comments with this status, in a query that can use the queue's partial index.

    SQLite uses a partial index only when its condition is written into the SQL: with
    the status bound as a parameter it scans a million rows (85 ms instead of 4 for a
    count). The status is one of four constants, never the reader's text.
    """
    if status in SMALL_QUEUES:
        table = Comment._meta.db_table
        return Comment.objects.extra(where=[f"{table}.status = '{status}'"])  # noqa: S610
    if status == "all":
        return Comment.objects.filter(status__in=[CommentStatus.PENDING, CommentStatus.APPROVED])
    if status not in CommentStatus.values:
        raise ValueError(f"unknown comment status {status!r}")
    return Comment.objects.filter(status=status)


def queue_counts(filter: QueueFilter | None = None) -> dict[str, int]:
    """Return how many comments each queue holds (on one post or page, if filtered)."""
    entry = filter.entry_filter if filter else {}
    counts = dict.fromkeys(CommentStatus.values, 0)
    if entry:
        # One post's comments: grouped through the post's own index.
        for row in Comment.objects.filter(**entry).values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
    else:
        for status in SMALL_QUEUES:
            # Each counted through its partial index: cheap at any size.
            counts[status] = in_status(status).count()
        counts[CommentStatus.APPROVED] = sum(
            model.objects.aggregate(n=Sum("comment_count"))["n"] or 0 for model in (Post, SitePage)
        )
    counts["all"] = counts[CommentStatus.PENDING] + counts[CommentStatus.APPROVED]
    return counts


def search_filter(text: str) -> Q:
    """Match the text, name, email, website, IP address or login provider."""
    query = Q()
    for word in text.split()[:6]:
        match = (
            Q(body__icontains=word)
            | Q(author_name__icontains=word)
            | Q(author_email__icontains=word)
            | Q(author_url__icontains=word)
            | Q(identity_provider__iexact=word)
        )
        with contextlib.suppress(ValueError):
            match |= Q(ip_address=str(ipaddress.ip_address(word)))
        query &= match
    return query


SPAM_ORDER = Func(F("spam_score"), template="COALESCE(%(expressions)s, 2.0)")


def queue(filter: QueueFilter) -> QuerySet[Comment]:
    """The comments of a queue, newest first, with what a row shows."""
    comments = in_status(filter.status).filter(**filter.entry_filter)
    if filter.search:
        comments = comments.filter(search_filter(filter.search))
    if filter.status == CommentStatus.SPAM:
        # Most doubtful first, through comment_spam_score_idx: a reader's comment filed as
        # spam is near the top, sure spam at the bottom, unscored spam last. The 2.0 is
        # written into the SQL, as in the index: SQLite matches an index's expression
        # only to the same expression, and a bound parameter is not the same.
        order = [SPAM_ORDER.asc(), "-created_at", "-id"]
    else:
        order = ["-created_at", "-id"]
    return (
        comments.select_related("post", "page", "parent", "user")
        .defer("post__body", "post__body_html", "post__excerpt", "post__excerpt_html")
        .defer("page__body", "page__body_html")
        .defer("parent__body", "parent__body_html", "parent__user_agent")
        .order_by(*order)
    )


class SearchPage:
    """A page of search results, found without counting them all (a COUNT of a search
    through a million comments would cost more than the page): one row more than the
    page tells whether there is a next one."""

    paginator = None

    def __init__(self, queryset, number, per_page: int):
        self.number = max(1, parse_id(number) or 1)
        start = (self.number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def queue_page(filter: QueueFilter, number, counts: dict[str, int]):
    """Return a page of the queue: numbered from the known counts, or a search's page."""
    comments = queue(filter)
    if filter.search:
        return SearchPage(comments, number, app_settings.PER_PAGE)
    paginator = CountedPaginator(comments, app_settings.PER_PAGE, count=counts[filter.status])
    return paginator.get_page(number)


@dataclass
class History:
    """How many of an author's comments were approved, wait, or were marked spam."""

    approved: int = 0
    pending: int = 0
    spam: int = 0


def author_key(comment: Comment) -> tuple[str, str]:
    if comment.identity_provider:
        return ("identity", f"{comment.identity_provider}:{comment.identity_uid}")
    return ("email", comment.author_email.lower())


def author_histories(comments: list[Comment]) -> dict[tuple[str, str], History]:
    """Return each author's history, in at most two grouped queries for a whole page."""
    histories: dict[tuple[str, str], History] = {}
    emails = {c.author_email.lower() for c in comments if not c.identity_provider}
    emails.discard("")
    if emails:
        rows = (
            Comment.objects.annotate(email=Lower("author_email"))
            .filter(email__in=emails, identity_provider="")
            .values("email", "status")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            _add(histories.setdefault(("email", row["email"]), History()), row)
    identities = {(c.identity_provider, c.identity_uid) for c in comments if c.identity_provider}
    if identities:
        match = Q()
        for provider, uid in identities:
            match |= Q(identity_provider=provider, identity_uid=uid)
        rows = (
            Comment.objects.filter(match)
            .values("identity_provider", "identity_uid", "status")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            key = ("identity", f"{row['identity_provider']}:{row['identity_uid']}")
            _add(histories.setdefault(key, History()), row)
    return histories


def _add(history: History, row: dict) -> None:
    if row["status"] in ("approved", "pending", "spam"):
        setattr(history, row["status"], getattr(history, row["status"]) + row["n"])


@dataclass
class Row:
    """A comment as a row of the desk shows it."""

    comment: Comment
    history: History = field(default_factory=History)


def rows_for(comments: list[Comment]) -> list[Row]:
    histories = author_histories(comments)
    return [Row(c, histories.get(author_key(c), History())) for c in comments]


def fetch_rows(ids) -> list[Row]:
    """Return fresh rows for these comment ids (after an action), newest first."""
    comments = list(
        Comment.objects.filter(pk__in=list(ids))
        .select_related("post", "page", "parent", "user")
        .order_by("-created_at", "-id")
    )
    return rows_for(comments)


# Actions ------------------------------------------------------------------------------


class ActionRefused(Exception):
    """An action that cannot be done; ``message`` says why, for the moderator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    """What an action did: a message, the comments to show again, and how to undo it."""

    message: str
    ids: list[int]
    undo: str | None = None  # a signed token, for the Undo button
    removed: list[int] = field(default_factory=list)  # deleted for good


#: The actions that only change the status: action -> (new status, verb for the message).
STATUS_ACTIONS = {
    "approve": (CommentStatus.APPROVED, "approved"),
    "unapprove": (CommentStatus.PENDING, "unapproved"),
    "spam": (CommentStatus.SPAM, "marked as spam"),
    "trash": (CommentStatus.TRASH, "moved to the Trash"),
}
ACTIONS = {*STATUS_ACTIONS, "not_spam", "restore", "delete", "edit", "reply"}
#: Actions that take one comment only.
SINGLE = {"edit", "reply"}


def count_message(n: int, verb: str) -> str:
    return ngettext("%(n)d comment %(verb)s.", "%(n)d comments %(verb)s.", n) % {
        "n": n,
        "verb": verb,
    }


def _undo_token(kind: str, **data) -> str:
    return signing.dumps({"kind": kind, **data}, salt=UNDO_SALT, compress=True)


def perform(action: str, ids: list[int], user, data=None) -> Outcome:
    """Do a moderation action on comments as ``user``; raise ActionRefused if it can't be."""
    data = data or {}
    if action not in ACTIONS:
        raise ActionRefused(_("Unknown action."))
    if not user.has_perm("discussion.change_comment"):
        raise ActionRefused(_("You may not moderate comments."))
    if action == "delete" and not user.has_perm("discussion.delete_comment"):
        raise ActionRefused(_("You may not delete comments."))
    comments = list(Comment.objects.filter(pk__in=ids[:1000]).select_related("parent"))
    if not comments:
        raise ActionRefused(_("That comment no longer exists: another moderator deleted it."))
    if action in SINGLE and len(comments) != 1:
        raise ActionRefused(_("Choose one comment for that."))
    found = [c.pk for c in comments]
    before = {str(c.pk): c.status for c in comments}

    if action in STATUS_ACTIONS:
        status, verb = STATUS_ACTIONS[action]
        discussion.moderate(comments, status)
        return Outcome(
            count_message(len(comments), verb), found, _undo_token("status", statuses=before)
        )
    if action in ("not_spam", "restore"):
        set_aside = [c for c in comments if c.status in discussion.SET_ASIDE]
        discussion.restore(set_aside)
        verb = _("restored from spam") if action == "not_spam" else _("restored")
        return Outcome(
            count_message(len(set_aside), verb), found, _undo_token("status", statuses=before)
        )
    if action == "delete":
        doomed = [c for c in comments if c.status in discussion.SET_ASIDE]
        if len(doomed) != len(comments):
            raise ActionRefused(
                _("Only comments in Spam or Trash can be deleted permanently: trash it first.")
            )
        discussion.delete_comments(doomed)
        return Outcome(
            count_message(len(doomed), _("deleted permanently")), [], removed=[c.pk for c in doomed]
        )
    (comment,) = comments
    if action == "edit":
        fields = clean_edit(data)
        old = discussion.edit_comment(comment, **fields)
        return Outcome(_("Comment updated."), found, _undo_token("edit", id=comment.pk, old=old))
    # reply
    body = (data.get("body") or "").strip()
    if not body:
        raise ActionRefused(_("Please type your reply."))
    if comment.status not in (CommentStatus.APPROVED, CommentStatus.PENDING):
        raise ActionRefused(_("Restore the comment before replying to it."))
    reply = discussion.staff_reply(comment, body, user)
    return Outcome(
        _("Reply posted.")
        + (
            " " + _("The comment was approved with it.")
            if before[str(comment.pk)] == "pending"
            else ""
        ),
        [reply.pk, comment.pk],
        _undo_token("reply", id=reply.pk, parent=comment.pk, parent_status=before[str(comment.pk)]),
    )


def clean_edit(data) -> dict[str, str]:
    """Validate Quick Edit's fields as the comment form would; raise ActionRefused if bad."""
    from samizdat.desk.forms import QuickEditForm

    form = QuickEditForm(data)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(messages)}"
            for name, messages in form.errors.items()
        )
        raise ActionRefused(errors)
    return form.cleaned_data


def undo(token: str, user) -> Outcome:
    """Undo an action from its signed token; raise ActionRefused when it is too late."""
    if not user.has_perm("discussion.change_comment"):
        raise ActionRefused(_("You may not moderate comments."))
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=app_settings.UNDO_SECONDS)
    except signing.SignatureExpired as exc:
        raise ActionRefused(_("That action is too old to undo.")) from exc
    except signing.BadSignature as exc:
        raise ActionRefused(_("That undo link is not valid.")) from exc
    kind = data.get("kind")
    if kind == "status":
        statuses = {int(pk): status for pk, status in data["statuses"].items()}
        comments = list(Comment.objects.filter(pk__in=list(statuses)))
        if not comments:
            raise ActionRefused(_("Those comments no longer exist."))
        discussion.set_statuses({c: statuses[c.pk] for c in comments})
        return Outcome(count_message(len(comments), _("put back")), [c.pk for c in comments])
    if kind == "edit":
        comment = Comment.objects.filter(pk=data["id"]).first()
        if comment is None:
            raise ActionRefused(_("That comment no longer exists."))
        discussion.edit_comment(comment, **data["old"])
        return Outcome(_("Edit undone."), [comment.pk])
    if kind == "reply":
        reply = Comment.objects.filter(pk=data["id"]).first()
        if reply is not None:
            discussion.delete_comments([reply])
        parent = Comment.objects.filter(pk=data["parent"]).first()
        if parent is not None and parent.status != data["parent_status"]:
            discussion.set_statuses({parent: data["parent_status"]})
        return Outcome(_("Reply removed."), [parent.pk] if parent else [], removed=[data["id"]])
    raise ActionRefused(_("That undo link is not valid."))


def empty(status: str, user, *, older_than_days: int | None = None) -> int:
    """Delete every comment in Spam or Trash (older than N days, if given), for good."""
    if status not in discussion.SET_ASIDE:
        raise ActionRefused(_("Only Spam and Trash can be emptied."))
    if user is not None and not user.has_perm("discussion.delete_comment"):
        raise ActionRefused(_("You may not delete comments."))
    doomed = Comment.objects.filter(status=status)
    if older_than_days is not None:
        cutoff = timezone.now() - timedelta(days=older_than_days)
        # Imported spam has no moderation time: its own date stands in.
        doomed = doomed.filter(
            Q(moderated_at__lt=cutoff) | Q(moderated_at__isnull=True, created_at__lt=cutoff)
        )
    deleted = 0
    while True:
        batch = list(
            doomed.only("pk", "parent_id", "root_id", "post_id", "page_id", "status")[:500]
        )
        if not batch:
            return deleted
        deleted += discussion.delete_comments(batch)


def pending_count() -> int:
    """How many comments wait for moderation, computed once per change to the site."""
    from samizdat.pagecache.store import LISTS, SITE, remember

    # Every comment replaces the ``lists`` generation: the count is read again after one.
    return remember(
        "pending-count", lambda: in_status(CommentStatus.PENDING).count(), depends=(SITE, LISTS)
    )
