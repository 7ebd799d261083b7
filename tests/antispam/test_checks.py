"""The spam checks, alone and as a pipeline, through the comment form."""

import time
from unittest import mock

import pytest
from django.test import Client

from samizdat.antispam import pipeline, tokens
from samizdat.antispam.checks import (
    Honeypot,
    LinksAndKeys,
    Result,
    Submission,
    Timing,
    Verdict,
)
from samizdat.antispam.models import SpamKey
from samizdat.discussion.models import Comment, CommentStatus

URL = "/comments/post/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_author(post, make_comment):
    """Guest Reader has an approved comment: without the checks, the next is approved."""
    return make_comment(post, author_name="Guest Reader", author_email="guest@example.org")


def old_token(seconds: float) -> str:
    with mock.patch("time.time", return_value=time.time() - seconds):
        return tokens.new_token()


def posted(client, data) -> Comment:
    response = client.post(URL, data)
    assert response.status_code == 302, response.content[:500]
    return Comment.objects.order_by("-pk").first()


def submission(**fields):
    comment = Comment(
        author_name=fields.pop("author_name", "Ann"),
        author_email=fields.pop("author_email", "ann@example.org"),
        author_url=fields.pop("author_url", ""),
        body=fields.pop("body", "A fair point."),
        ip_address=fields.pop("ip_address", "192.0.2.1"),
        user_agent=fields.pop("user_agent", "Mozilla/5.0"),
    )
    return Submission(comment, fields)


class TestEachCheck:
    def test_honeypot(self):
        assert Honeypot().check(submission()) == []
        assert Honeypot().check(submission(contact_website="http://spam.example")) == [
            Result(Verdict.SPAM, "honeypot field filled")
        ]

    def test_timing(self):
        assert Timing().check(submission()) == [], "no token (no JavaScript): passes"
        assert Timing().check(submission(form_token=old_token(30))) == []
        (fast,) = Timing().check(submission(form_token=old_token(0.5)))
        assert fast.verdict == Verdict.HOLD and "after the form was opened" in fast.reason
        (stale,) = Timing().check(submission(form_token=old_token(90_000)))
        assert stale.verdict == Verdict.HOLD and "more than a day" in stale.reason
        (forged,) = Timing().check(submission(form_token="1700000000.0:forged"))
        assert forged.verdict == Verdict.HOLD and "not valid" in forged.reason

    def test_links(self, settings):
        body = "See https://a.example and www.b.example and <a href='x'>c</a>"
        (held,) = LinksAndKeys().check(submission(body=body))
        assert str(held) == "held: 3 links"
        settings.SAMIZDAT_COMMENTS_MAX_LINKS = 3
        assert LinksAndKeys().check(submission(body=body)) == []

    def test_keys_match_every_field_without_case(self):
        SpamKey.objects.create(kind="moderation", text="Casino")
        SpamKey.objects.create(kind="disallowed", text="198.51.100.")
        SpamKey.objects.create(kind="moderation", text="press")
        results = LinksAndKeys().check(
            submission(
                body="Best CASINO bonus",
                ip_address="198.51.100.7",
                author_url="https://wordpress.example",
            )
        )
        reasons = [str(r) for r in results]
        assert reasons == [
            "spam: disallowed key \u201c198.51.100.\u201d (IP address)",
            "held: moderation key \u201ccasino\u201d (text)",
            "held: moderation key \u201cpress\u201d (website)",
        ]


class TestPipeline:
    def test_every_reason_is_kept_and_the_strongest_wins(self):
        SpamKey.objects.create(kind="moderation", text="bonus")
        decision = pipeline.run(
            submission(
                body="bonus http://a.example http://b.example http://c.example",
                contact_website="x",
                form_token=old_token(0),
            ).comment,
            {"contact_website": "x", "form_token": old_token(0)},
        )
        assert decision.verdict == Verdict.SPAM
        assert [r.split(":")[0] for r in decision.reasons] == ["spam", "held", "held", "held"]
        assert decision.reasons[0] == "spam: honeypot field filled"

    def test_a_broken_check_holds(self, settings):
        settings.SAMIZDAT_SPAM_CHECKS = ["tests.antispam.test_checks.Broken"]
        decision = pipeline.run(submission().comment, {})
        assert decision.verdict == Verdict.HOLD
        assert decision.reasons == ["held: check Broken failed"]


class Broken:
    def check(self, submission):
        raise RuntimeError("model file is corrupt")


class TestThroughTheForm:
    def test_honeypot_files_as_spam_never_shown(self, client, post, comment_data, known_author):
        comment = posted(client, comment_data(body="Buy now", contact_website="http://x.example"))
        assert comment.status == CommentStatus.SPAM
        assert comment.moderation_reasons == ["spam: honeypot field filled"]
        assert "Buy now" not in Client().get(post.get_absolute_url()).content.decode()

    def test_no_javascript_is_not_punished(self, client, post, comment_data, known_author):
        comment = posted(client, comment_data(body="Typed without scripts."))
        assert comment.status == CommentStatus.APPROVED
        assert comment.moderation_reasons == []

    def test_too_fast_is_held_not_rejected(self, client, post, comment_data, known_author):
        comment = posted(client, comment_data(form_token=old_token(0.2)))
        assert comment.status == CommentStatus.PENDING
        assert comment.moderation_reasons[0].startswith("held: sent 0.")

    def test_a_typed_comment_passes(self, client, post, comment_data, known_author):
        token = client.get("/identity/me/").json()["form_token"]
        with mock.patch("time.time", return_value=time.time() + 40):
            comment = posted(client, comment_data(body="Thought it over.", form_token=token))
        assert comment.status == CommentStatus.APPROVED

    def test_key_added_in_the_admin_applies_at_once(
        self, client, staff, post, comment_data, known_author
    ):
        admin = Client()
        admin.force_login(staff)
        response = admin.post(
            "/admin/antispam/spamkey/add/", {"kind": "disallowed", "text": "cheap pills"}
        )
        assert response.status_code == 302
        comment = posted(client, comment_data(body="Cheap Pills here"))
        assert comment.status == CommentStatus.SPAM
        assert comment.moderation_reasons == ["spam: disallowed key \u201ccheap pills\u201d (text)"]

    def test_reasons_show_in_the_desk(self, client, staff, post, comment_data, known_author):
        posted(client, comment_data(body="http://a.example http://b.example http://c.example"))
        desk = Client()
        desk.force_login(staff)
        html = desk.get("/admin/desk/", {"status": "pending"}).content.decode()
        assert "held: 3 links" in html

    def test_staff_comments_are_not_checked(self, client, staff, post, comment_data):
        client.force_login(staff)
        comment = posted(
            client, comment_data(body="http://a.example http://b.example http://c.example")
        )
        assert comment.status == CommentStatus.APPROVED
        assert comment.moderation_reasons == []

    def test_honeypot_is_hidden_from_people(self, client, post):
        html = client.get(post.get_absolute_url()).content.decode()
        assert 'class="comment-form-hp"' in html and 'tabindex="-1"' in html
