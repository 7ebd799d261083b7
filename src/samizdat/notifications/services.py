"""Subscriptions and the mail they bring: plain functions, called by views and tasks."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.notifications import mail, tokens
from samizdat.notifications.app_settings import app_settings
from samizdat.notifications.models import StaffMail, Subscriber, Subscription

log = logging.getLogger(__name__)
Kind = Subscription.Kind


def normalize(email: str) -> str:
    return (email or "").strip().lower()


# Subscribing and confirming.


def subscribe(
    email: str, *, post=None, kind: str, after_comment_id: int = 0, verified: bool = False
) -> Subscription | None:
    """Record a wish for mail; ask the address's owner to confirm it unless known.

    ``verified``: the address comes from a login whose provider marked it verified, so
    it needs no confirmation. Returns None for an address that cannot be used.
    """
    from samizdat.notifications.tasks import send_confirmation

    email = normalize(email)
    if not email or "@" not in email:
        return None
    subscriber, _created = Subscriber.objects.get_or_create(email=email)
    if verified and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    lookup = {"subscriber": subscriber}
    if kind == Kind.POSTS:
        lookup["kind"] = Kind.POSTS
    else:
        lookup["post"] = post
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                **lookup, defaults={"kind": kind, "post": post, "last_comment_id": after_comment_id}
            )
    except IntegrityError:  # the same wish twice at once
        subscription, created = Subscription.objects.get(**lookup), False
    if not created and subscription.kind != kind and kind == Kind.ALL:
        subscription.kind = kind  # "every comment" is the wider wish
        subscription.save(update_fields=["kind"])
    if subscriber.confirmed_at is None:
        send_confirmation.enqueue(subscriber.pk)
    return subscription


def may_mail_link(subscriber: Subscriber) -> bool:
    """Count one more confirmation or manage-link mail today; False past the daily limit."""
    today = timezone.localdate()
    with transaction.atomic():
        row = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        sent = row.mails_that_day if row.mails_day == today else 0
        if sent >= app_settings.CONFIRMATIONS_PER_DAY:
            return False
        Subscriber.objects.filter(pk=row.pk).update(mails_day=today, mails_that_day=sent + 1)
    return True


def confirmation_mail(subscriber: Subscriber):
    """Return the "please confirm" mail, or None if none may be sent."""
    if subscriber.confirmed_at is not None:
        return None  # confirmed once, confirmed for good: nothing new to send
    if not may_mail_link(subscriber):
        log.info("confirmation mail to %s skipped: daily limit reached", subscriber.email)
        return None
    wishes = list(subscriber.subscriptions.select_related("post"))
    link = mail.absolute(
        reverse("notifications:confirm", args=[tokens.make("confirm", e=subscriber.email)])
    )
    return mail.build(
        subscriber.email,
        "Please confirm your subscription",
        "confirm",
        {"link": link, "wishes": wishes, "days": app_settings.LINK_DAYS},
    )


def confirm(email: str) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(email=normalize(email)).first()
    if subscriber is not None and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def unsubscribe(subscription_id: int) -> bool:
    """End one subscription; True if it existed (a second click is fine too)."""
    deleted, _ = Subscription.objects.filter(pk=subscription_id).delete()
    return bool(deleted)


# Links a mail carries.


def unsubscribe_url(subscription: Subscription) -> str:
    token = tokens.make("unsubscribe", s=subscription.pk)
    return mail.absolute(reverse("notifications:unsubscribe", args=[token]))


def manage_url(email: str) -> str:
    return mail.absolute(reverse("notifications:manage", args=[tokens.make("manage", e=email)]))


# Mail to readers about new comments.


@dataclass
class Outcome:
    sent: int = 0
    waiting: int = 0  # mailed within the batch interval: a later run lists theirs
    next_run: object = None


def notify_subscribers(post_id: int) -> Outcome:
    """Mail every due subscriber of a post the approved comments new to them.

    Resumable: each subscription records the newest comment mailed to it as soon as its
    mail is accepted, so a run stopped by a mail server that went down goes on where it
    stopped when retried, and nobody gets the same comment twice.
    """
    from samizdat.publishing.models import Post

    post = Post.objects.filter(pk=post_id).first()
    outcome = Outcome()
    if post is None or not post.is_live:
        return outcome
    now = timezone.now()
    interval = timedelta(minutes=app_settings.BATCH_MINUTES)
    subscriptions = (
        Subscription.objects.filter(
            post_id=post_id,
            kind__in=[Kind.ALL, Kind.REPLIES],
            subscriber__confirmed_at__isnull=False,
        )
        .select_related("subscriber")
        .order_by("pk")
    )
    oldest = subscriptions.order_by("last_comment_id").values_list("last_comment_id", flat=True)
    oldest = oldest.first()
    if oldest is None:
        return outcome
    comments = list(
        Comment.objects.filter(post_id=post_id, status=CommentStatus.APPROVED, pk__gt=oldest)
        .select_related("parent")
        .order_by("pk")
    )
    if not comments:
        return outcome
    progress = Progress()
    connection = get_connection()
    try:
        for subscription in subscriptions.iterator(chunk_size=500):
            email = subscription.subscriber.email
            new = [
                c
                for c in comments
                if c.pk > subscription.last_comment_id
                and normalize(c.author_email) != email
                and (
                    subscription.kind == Kind.ALL
                    or (c.parent is not None and normalize(c.parent.author_email) == email)
                )
            ]
            if not new:
                continue
            last = subscription.last_mailed_at
            if last is not None and last > now - interval:
                outcome.waiting += 1
                due = last + interval
                outcome.next_run = due if outcome.next_run is None else min(outcome.next_run, due)
                continue
            message = _comments_mail(post, subscription, new)
            connection.send_messages([message])  # raises if the server is down: retried
            progress.sent(subscription.pk, new[-1].pk, now)
            outcome.sent += 1
    finally:
        # What was sent is recorded even when the mail server went away mid-run.
        progress.flush()
        connection.close()
    return outcome


class Progress:
    """Which subscriptions were mailed up to which comment, written in batches.

    One UPDATE per mail, each its own transaction, held SQLite to ~100 mails a second;
    a batch of them in one transaction costs one commit. The batch is written before
    any error goes up, so a mail server that fails mid-run causes no repeats; only a
    worker killed outright can repeat the mails of its last unwritten batch.
    """

    SIZE = 200

    def __init__(self):
        self.pending: list[tuple[int, int, object]] = []

    def sent(self, subscription_id: int, comment_id: int, when) -> None:
        self.pending.append((subscription_id, comment_id, when))
        if len(self.pending) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with transaction.atomic():
            for subscription_id, comment_id, when in self.pending:
                Subscription.objects.filter(pk=subscription_id).update(
                    last_comment_id=comment_id, last_mailed_at=when
                )
        self.pending = []


def _comments_mail(post, subscription: Subscription, new: list[Comment]):
    count = len(new)
    subject = (
        f"New comment on \u201c{post.display_title}\u201d"
        if count == 1
        else f"{count} new comments on \u201c{post.display_title}\u201d"
    )
    return mail.build(
        subscription.subscriber.email,
        subject,
        "comments",
        {
            "post": post,
            "post_url": mail.absolute(post.get_absolute_url()),
            "comments": [
                {"comment": c, "url": mail.absolute(f"{post.get_absolute_url()}#comment-{c.pk}")}
                for c in new
            ],
            "replies_only": subscription.kind == Kind.REPLIES,
            "unsubscribe_url": unsubscribe_url(subscription),
            "manage_url": manage_url(subscription.subscriber.email),
        },
        post=post,
        unsubscribe_url=unsubscribe_url(subscription),
    )


# Mail to readers about new posts.


def announce_post(post) -> int:
    """Mail every confirmed "new posts" subscriber; return how many were sent."""
    subscriptions = Subscription.objects.filter(
        kind=Kind.POSTS, subscriber__confirmed_at__isnull=False, last_comment_id__lt=post.pk
    ).select_related("subscriber")
    sent = 0
    connection = get_connection()
    try:
        for subscription in subscriptions.iterator(chunk_size=500):
            message = mail.build(
                subscription.subscriber.email,
                f"New post: {post.display_title}",
                "new_post",
                {
                    "post": post,
                    "post_url": mail.absolute(post.get_absolute_url()),
                    "unsubscribe_url": unsubscribe_url(subscription),
                    "manage_url": manage_url(subscription.subscriber.email),
                },
                post=post,
                unsubscribe_url=unsubscribe_url(subscription),
            )
            connection.send_messages([message])
            # last_comment_id holds the newest post announced to it: resumable, once only.
            Subscription.objects.filter(pk=subscription.pk).update(
                last_comment_id=post.pk, last_mailed_at=timezone.now()
            )
            sent += 1
    finally:
        connection.close()
    return sent


# Mail to the writer and staff.


def staff_recipients(comment: Comment, held: bool) -> list:
    """Staff who want mail about this comment: by their setting, or by default.

    The default: the post's author gets every comment on it; other moderators get the
    comments held for moderation.
    """
    author_id = comment.post.author_id if comment.post_id else None
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .select_related("comment_mail")
    )
    chosen = []
    for user in users:
        if comment.user_id == user.pk:
            continue
        try:
            choice = user.comment_mail.comments
        except StaffMail.DoesNotExist:
            choice = StaffMail.Choice.ALL if user.pk == author_id else StaffMail.Choice.HELD
        if not user.has_perm("discussion.change_comment") and user.pk != author_id:
            continue
        if choice == StaffMail.Choice.ALL or (choice == StaffMail.Choice.HELD and held):
            chosen.append(user)
    return chosen


MODERATION_ACTIONS = {
    "approve": "Approve",
    "spam": "Spam",
    "trash": "Trash",
}


def moderation_links(comment: Comment, user) -> list[tuple[str, str]]:
    actions = ["approve", "spam", "trash"] if comment.status == CommentStatus.PENDING else [
        "spam", "trash"
    ]  # fmt: skip
    if not user.has_perm("discussion.change_comment"):
        return []
    return [
        (
            MODERATION_ACTIONS[action],
            mail.absolute(
                reverse(
                    "notifications:moderate",
                    args=[tokens.make("moderate", c=comment.pk, u=user.pk, a=action)],
                )
            ),
        )
        for action in actions
    ]


def staff_mails(comment_id: int) -> Iterable:
    comment = Comment.objects.select_related("post", "page", "parent").filter(pk=comment_id)
    comment = comment.first()
    if comment is None or comment.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        return []  # spam is not worth a mail; a comment gone since is not either
    held = comment.status == CommentStatus.PENDING
    entry = comment.entry
    messages = []
    for user in staff_recipients(comment, held):
        subject = (
            f"Please moderate: \u201c{entry.display_title}\u201d"
            if held
            else f"New comment on \u201c{entry.display_title}\u201d"
        )
        messages.append(
            mail.build(
                user.email,
                subject,
                "staff_comment",
                {
                    "comment": comment,
                    "entry": entry,
                    "held": held,
                    "entry_url": mail.absolute(entry.get_absolute_url()),
                    "actions": moderation_links(comment, user),
                    "desk_url": mail.absolute(reverse("desk:queue") + "?status=pending"),
                    "days": app_settings.LINK_DAYS,
                },
                post=comment.post if comment.post_id else None,
            )
        )
    return messages


# A reader's own data.


def export(email: str) -> dict:
    """Everything the site holds about an address, as JSON-ready data."""
    email = normalize(email)
    comments = Comment.objects.filter(Q(author_email__iexact=email)).select_related("post", "page")
    subscriber = Subscriber.objects.filter(email=email).first()
    return {
        "email": email,
        "comments": [
            {
                "id": c.pk,
                "on": c.entry.display_title,
                "url": mail.absolute(c.entry.get_absolute_url()),
                "date": c.created_at.isoformat(),
                "status": c.status,
                "name": c.author_name,
                "website": c.author_url,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "text": c.body,
            }
            for c in comments.order_by("created_at")
        ],
        "subscriptions": [
            {
                "what": s.get_kind_display(),
                "post": s.post.display_title if s.post_id else None,
                "since": s.created_at.isoformat(),
            }
            for s in (subscriber.subscriptions.select_related("post") if subscriber else [])
        ],
        "confirmed": subscriber.confirmed_at.isoformat()
        if subscriber and subscriber.confirmed_at
        else None,
    }


REMOVED = "(removed at the author's request)"


def erase(email: str, *, remove_text: bool = False) -> int:
    """Anonymise an address's comments (and drop its subscriptions); return how many.

    As WordPress's eraser: the name becomes "Anonymous", email, website and IP address
    go, and the text stays marked "(removed at the author's request)" unless asked to
    go too, when it is replaced by that note.
    """
    email = normalize(email)
    count = 0
    with transaction.atomic():
        for comment in Comment.objects.select_for_update().filter(author_email__iexact=email):
            comment.author_name = "Anonymous"
            comment.author_email = ""
            comment.author_url = ""
            comment.author_avatar_url = ""
            comment.ip_address = None
            comment.user_agent = ""
            comment.identity_uid = ""
            comment.identity_provider = ""
            comment.body = REMOVED if remove_text else f"{comment.body}\n\n{REMOVED}"
            comment.save()  # renders the body again
            count += 1
        Subscriber.objects.filter(email=email).delete()
    return count
