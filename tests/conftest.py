"""Factories shared by the test suite."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Post, PostStatus

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_site_generation():
    """Each test starts with nothing kept from another: its rolled-back rows never
    committed, so no invalidation ran for them."""
    from django.core.cache import caches

    from samizdat.antispam import learning
    from samizdat.pagecache.store import store

    store.invalidate()
    caches["ratelimits"].clear()
    learning.forget()  # the model this process read may be a rolled-back test's


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        username = username or f"user{next(_counter)}"
        password = fields.pop("password", "correct horse battery staple")
        email = fields.pop("email", f"{username}@example.com")
        return get_user_model().objects.create_user(username, email, password, **fields)

    return make


@pytest.fixture
def staff(make_user):
    return make_user(
        "editor", is_staff=True, is_superuser=True, first_name="Edith", last_name="Editor"
    )


@pytest.fixture
def make_post(db):
    def make(title=None, **fields):
        n = next(_counter)
        fields.setdefault("status", PostStatus.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=1, minutes=n))
        fields.setdefault("body", f"Body of post {n}.")
        return Post.objects.create(title=title or f"Post {n}", **fields)

    return make


@pytest.fixture
def post(make_post):
    return make_post("An essay", slug="an-essay")


@pytest.fixture
def make_comment(db):
    def make(post, parent=None, **fields):
        n = next(_counter)
        fields.setdefault("author_name", f"Reader {n}")
        fields.setdefault("author_email", f"reader{n}@example.org")
        fields.setdefault("body", f"Comment number {n}.")
        fields.setdefault("status", CommentStatus.APPROVED)
        fields.setdefault("created_at", timezone.now() - timedelta(hours=1) + timedelta(seconds=n))
        return Comment.objects.create(post=post, parent=parent, **fields)

    return make


@pytest.fixture
def comment_data(post):
    """Valid "Leave a Reply" form data for ``post``."""

    def data(**overrides):
        values = {
            "post_id": post.pk,
            "body": "A thoughtful reply.",
            "author_name": "Guest Reader",
            "author_email": "guest@example.org",
            "author_url": "",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    return data


@pytest.fixture
def run_tasks(db):
    """Run what the task queue holds now with the real worker (``samizdat worker --batch``).

    ``due=True`` first makes every waiting task due (a clock moved past its backoff).
    """
    from django.core.management import call_command
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def run(due: bool = False):
        from unittest import mock

        if due:
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
                run_after=timezone.now()
            )
        # The worker closes connections past their age between tasks, as requests do; in
        # a test's transaction (PostgreSQL's pool gives them no age) that would end it.
        with (
            mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
            mock.patch("samizdat.core.management.commands.worker.close_old_connections"),
        ):
            call_command("worker", "--batch")
        return DBTaskResult.objects.order_by("enqueued_at")

    return run


class MailServer:
    """A real SMTP server on loopback (aiosmtpd), keeping what it receives.

    ``messages`` are parsed with the modern email policy: headers decoded and unfolded,
    ``text(message)`` gives the plain-text part.
    """

    def __init__(self):
        self.messages = []
        self.port = _free_port()
        self.controller = None

    def start(self):
        import email
        import email.policy

        from aiosmtpd.controller import Controller

        outer = self

        class Keep:
            async def handle_DATA(self, server, session, envelope):
                outer.messages.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
                return "250 Message accepted for delivery"

        # A stopped controller cannot start again: each start is a new one, same port.
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Mail goes by SMTP to a server on loopback; its messages are ``smtp.messages``."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
