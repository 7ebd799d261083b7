"""Readers' subscriptions: double opt-in, mail only for approved comments, batching, links."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.notifications import services, tokens
from samizdat.notifications.models import Subscriber, Subscription
from tests.conftest import MailServer

pytestmark = pytest.mark.django_db

URL = "/comments/post/"


def post_comment(comment_data, address="198.51.100.1", **fields):
    response = Client(REMOTE_ADDR=address).post(URL, comment_data(**fields))
    assert response.status_code == 302, response.content[:300]
    return Comment.objects.order_by("-pk").first()


def link_in(message, path: str) -> str:
    text = MailServer.text(message)
    return re.search(rf"http://localhost:8000(/mail/{path}/[^\s]+/)", text).group(1)


@pytest.fixture
def reader_subscribed(comment_data, smtp, run_tasks, post):
    """Ann comments, ticks "Notify me of follow-up comments", and confirms by mail."""
    first = post_comment(
        comment_data, author_name="Ann", author_email="Ann@Example.org", notify_comments="all"
    )
    run_tasks()
    (confirmation,) = smtp.to("ann@example.org")
    page = Client().get(link_in(confirmation, "confirm"))
    assert page.status_code == 200 and b"Confirm" in page.content
    assert Subscriber.objects.get().confirmed_at is None, "opening the link changes nothing"
    Client().post(link_in(confirmation, "confirm"))
    assert Subscriber.objects.get().confirmed_at is not None
    smtp.messages.clear()
    return first


def approve(comment):
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)


class TestDoubleOptIn:
    def test_nothing_is_sent_before_confirmation(self, comment_data, smtp, run_tasks, post):
        post_comment(comment_data, author_email="ann@example.org", notify_comments="all")
        run_tasks()
        assert len(smtp.to("ann@example.org")) == 1, "only the confirmation"
        post_comment(comment_data, "198.51.100.2", author_email="bob@example.org", body="Reply")
        run_tasks()
        assert len(smtp.to("ann@example.org")) == 1, "unconfirmed: no comment mail"

    def test_three_confirmation_mails_a_day_at_most(self, smtp, run_tasks, post):
        for _ in range(5):
            services.subscribe("victim@example.org", post=post, kind="all")
            run_tasks()
        assert len(smtp.to("victim@example.org")) == 3

    def test_a_confirmed_address_is_not_asked_again(
        self, reader_subscribed, smtp, run_tasks, make_post
    ):
        services.subscribe("ann@example.org", post=make_post(), kind="all")
        run_tasks()
        assert smtp.to("ann@example.org") == []

    def test_a_verified_login_needs_no_confirmation(self, smtp, run_tasks, post):
        services.subscribe("kim@example.org", post=post, kind="all", verified=True)
        run_tasks()
        assert smtp.to("kim@example.org") == []
        assert Subscriber.objects.get(email="kim@example.org").confirmed_at is not None

    def test_spam_subscribes_no_one(self, comment_data, smtp, run_tasks, post):
        from samizdat.antispam.checks import HONEYPOT_FIELD

        post_comment(
            comment_data,
            author_email="victim@example.org",
            notify_comments="all",
            **{HONEYPOT_FIELD: "bot"},
        )
        run_tasks()
        assert smtp.to("victim@example.org") == [] and not Subscriber.objects.exists()

    @pytest.mark.parametrize("token", ["forged", "x" * 300])
    def test_forged_links_change_nothing(self, client, token):
        for path in ("confirm", "unsubscribe", "manage", "data", "moderate"):
            response = client.post(f"/mail/{path}/{token}/")
            assert response.status_code == 400 and b"does not work" in response.content

    def test_expired_link(self, client, post, freezer=None):
        services.subscribe("ann@example.org", post=post, kind="all")
        from unittest import mock

        with mock.patch("time.time", return_value=timezone.now().timestamp() - 8 * 86400):
            token = tokens.make("confirm", e="ann@example.org")
        response = client.post(f"/mail/confirm/{token}/")
        assert response.status_code == 400 and b"expired" in response.content
        assert Subscriber.objects.get().confirmed_at is None


class TestCommentMail:
    def test_only_approved_comments_and_never_ones_own(
        self, reader_subscribed, comment_data, smtp, run_tasks, post, settings
    ):
        settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0
        held = post_comment(comment_data, "198.51.100.9", author_name="Bob",
                            author_email="bob@example.org", body="Held one")  # fmt: skip
        assert held.status == CommentStatus.PENDING  # a first comment from Bob waits
        run_tasks()
        assert smtp.to("ann@example.org") == [], "pending: nothing"
        post_comment(comment_data, "198.51.100.3", author_name="Ann",
                     author_email="ann@example.org", body="My own second comment")  # fmt: skip
        run_tasks()
        assert smtp.to("ann@example.org") == [], "her own comment: nothing"

    def test_approved_from_the_desk_is_mailed_once_with_headers(
        self, reader_subscribed, comment_data, smtp, run_tasks, admin_user, post
    ):
        from samizdat.desk import services as desk

        reply = post_comment(comment_data, "198.51.100.9", author_name="Bob",
                             author_email="bob@example.org", body="A fair reply")  # fmt: skip
        desk.perform("approve", [reply.pk], admin_user)
        run_tasks()
        run_tasks()
        (mail,) = smtp.to("ann@example.org")
        assert "A fair reply" in MailServer.text(mail)
        assert (
            mail["List-Unsubscribe"].strip().startswith("<http://localhost:8000/mail/unsubscribe/")
        )
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["In-Reply-To"] == f"<post-{post.pk}@localhost>" == mail["References"]
        assert mail.is_multipart()
        assert [p.get_content_type() for p in mail.get_payload()] == ["text/plain", "text/html"]
        assert "/mail/manage/" in MailServer.text(mail)

    def test_one_mail_per_batch_interval_lists_every_comment(
        self, reader_subscribed, smtp, run_tasks, post, make_comment
    ):
        make_comment(post, body="First reply", author_email="bob@example.org")
        from samizdat.core.background import enqueue_once
        from samizdat.notifications.tasks import notify_subscribers

        enqueue_once(notify_subscribers, post.pk)
        run_tasks()
        assert len(smtp.to("ann@example.org")) == 1
        make_comment(post, body="Second reply", author_email="cy@example.org")
        make_comment(post, body="Third reply", author_email="dee@example.org")
        enqueue_once(notify_subscribers, post.pk)
        enqueue_once(notify_subscribers, post.pk)
        run_tasks()
        assert len(smtp.to("ann@example.org")) == 1, "within 10 minutes: waits"
        Subscription.objects.update(last_mailed_at=timezone.now() - timedelta(minutes=11))
        run_tasks(due=True)
        mails = smtp.to("ann@example.org")
        assert len(mails) == 2
        assert "Second reply" in MailServer.text(mails[1])
        assert "Third reply" in MailServer.text(mails[1])
        assert mails[1]["Subject"].startswith("2 new comments")

    def test_replies_only(self, reader_subscribed, smtp, run_tasks, post, make_comment):
        Subscription.objects.update(kind="replies")
        make_comment(post, body="Not to Ann", author_email="bob@example.org")
        make_comment(post, parent=reader_subscribed, body="To Ann", author_email="cy@example.org")
        from samizdat.notifications.tasks import notify_subscribers

        notify_subscribers.enqueue(post.pk)
        run_tasks()
        (mail,) = smtp.to("ann@example.org")
        assert "To Ann" in MailServer.text(mail) and "Not to Ann" not in MailServer.text(mail)

    def test_mail_server_down_then_back_sends_each_once(
        self, reader_subscribed, smtp, run_tasks, post, make_comment
    ):
        from samizdat.notifications.tasks import notify_subscribers

        smtp.stop()
        make_comment(post, body="While the server was down", author_email="bob@example.org")
        notify_subscribers.enqueue(post.pk)
        results = list(run_tasks())
        assert results[-1].status == "FAILED" or any(r.status == "FAILED" for r in results)
        smtp.start()
        run_tasks(due=True)
        run_tasks(due=True)
        (mail,) = smtp.to("ann@example.org")
        assert "While the server was down" in MailServer.text(mail)


class TestUnsubscribe:
    def test_one_click_post_and_twice_is_fine(
        self, reader_subscribed, smtp, run_tasks, post, make_comment
    ):
        subscription = Subscription.objects.get()
        path = services.unsubscribe_url(subscription).removeprefix("http://localhost:8000")
        client = Client(enforce_csrf_checks=True)
        assert client.get(path).status_code == 200
        assert Subscription.objects.exists(), "a GET (a mail scanner) changes nothing"
        one_click = client.post(path, {"List-Unsubscribe": "One-Click"})
        assert one_click.status_code == 200 and not Subscription.objects.exists()
        assert client.post(path).status_code == 200, "twice is fine"
        make_comment(post, body="After", author_email="bob@example.org")
        from samizdat.notifications.tasks import notify_subscribers

        notify_subscribers.enqueue(post.pk)
        run_tasks()
        assert smtp.to("ann@example.org") == []

    def test_manage_page(self, reader_subscribed, client, post):
        path = services.manage_url("ann@example.org").removeprefix("http://localhost:8000")
        page = client.get(path)
        assert post.title.encode() in page.content
        subscription = Subscription.objects.get()
        client.post(path, {"action": "replies", "id": subscription.pk})
        assert Subscription.objects.get().kind == "replies"
        client.post(path, {"action": "stop_all"})
        assert not Subscription.objects.exists()


class TestReadersData:
    def test_export_and_erase(self, reader_subscribed, client, smtp, run_tasks):
        manage = services.manage_url("ann@example.org").removeprefix("http://localhost:8000")
        client.post(manage, {"action": "data"})
        run_tasks()
        (mail,) = smtp.to("ann@example.org")
        data_path = link_in(mail, "data")
        download = client.post(data_path, {"action": "download"})
        exported = download.json()
        assert exported["email"] == "ann@example.org"
        assert exported["comments"][0]["text"] == reader_subscribed.body
        assert exported["subscriptions"][0]["what"] == "Every new comment"
        erased = client.post(data_path, {"action": "erase"})
        assert b"no longer carry your name" in erased.content
        comment = Comment.objects.get(pk=reader_subscribed.pk)
        assert (comment.author_name, comment.author_email, comment.ip_address) == (
            "Anonymous", "", None
        )  # fmt: skip
        assert comment.body.endswith("(removed at the author's request)")
        assert reader_subscribed.body in comment.body
        assert not Subscriber.objects.exists()

    def test_erase_with_the_text(self, post, make_comment):
        make_comment(post, author_email="zed@example.org", body="Gone entirely")
        services.erase("ZED@example.org", remove_text=True)
        assert Comment.objects.get().body == "(removed at the author's request)"
