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
