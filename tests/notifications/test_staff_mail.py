"""Mail to the writer: held comments with one-click moderation, new comments, settings."""

import re
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.notifications import tokens
from samizdat.notifications.models import StaffMail
from tests.conftest import MailServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user, post):
    user = make_user("writer", email="writer@example.org", is_staff=True, is_superuser=True)
    post.author = user
    post.save()
    return user


def guest_comment(comment_data, **fields):
    response = Client(REMOTE_ADDR="203.0.113.5").post("/comments/post/", comment_data(**fields))
    assert response.status_code == 302
    return Comment.objects.order_by("-pk").first()


def links(message) -> dict[str, str]:
    text = MailServer.text(message)
    return {
        label: path
        for label, path in re.findall(
            r"^(Approve|Spam|Trash): http://localhost:8000(\S+)$", text, re.M
        )
    }


def test_held_comment_mail_with_links_that_act_only_on_post(writer, comment_data, smtp, run_tasks):
    comment = guest_comment(comment_data, body="Please let me in")
    assert comment.status == CommentStatus.PENDING
    run_tasks()
    (mail,) = smtp.to("writer@example.org")
    assert mail["Subject"].startswith("Please moderate")
    assert "Please let me in" in MailServer.text(mail)
    found = links(mail)
    assert set(found) == {"Approve", "Spam", "Trash"}
    scanner = Client()
    page = scanner.get(found["Approve"])
    assert page.status_code == 200 and b"Approve this comment?" in page.content
    assert Comment.objects.get().status == CommentStatus.PENDING, "a GET changes nothing"
    done = Client().post(found["Approve"])
    assert b"now approved" in done.content
    assert Comment.objects.get().status == CommentStatus.APPROVED
    again = Client().post(found["Approve"])
    assert b"already approved" in again.content, "a reused link changes nothing"
    Client().post(found["Trash"])
    assert Comment.objects.get().status == CommentStatus.TRASH


def test_expired_moderation_link(writer, comment_data):
    comment = guest_comment(comment_data)
    with mock.patch("time.time", return_value=timezone.now().timestamp() - 8 * 86400):
        token = tokens.make("moderate", c=comment.pk, u=writer.pk, a="approve")
    response = Client().post(f"/mail/moderate/{token}/")
    assert response.status_code == 400 and b"expired" in response.content
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_a_link_for_someone_who_may_no_longer_moderate(writer, make_user, comment_data):
    comment = guest_comment(comment_data)
    former = make_user("former", is_staff=True)
    token = tokens.make("moderate", c=comment.pk, u=former.pk, a="approve")
    response = Client().post(f"/mail/moderate/{token}/")
    assert response.status_code == 403
    assert Comment.objects.get().status == CommentStatus.PENDING


@pytest.mark.parametrize(
    ("choice", "held_mails", "approved_mails"),
    [(None, 1, 1), ("all", 1, 1), ("held", 1, 0), ("none", 0, 0)],
)
def test_each_writer_chooses(
    writer, comment_data, smtp, run_tasks, choice, held_mails, approved_mails, make_comment, post
):
    if choice:
        StaffMail.objects.create(user=writer, comments=choice)
    guest_comment(comment_data, body="held")
    run_tasks()
    assert len(smtp.to("writer@example.org")) == held_mails
    smtp.messages.clear()
    known = make_comment(post, author_email="known@example.org")
    from samizdat.notifications.tasks import mail_staff

    mail_staff.enqueue(known.pk)
    run_tasks()
    assert len(smtp.to("writer@example.org")) == approved_mails


def test_other_moderators_get_held_comments_only(writer, make_user, comment_data, smtp, run_tasks):
    make_user("editor", email="editor@example.org", is_staff=True, is_superuser=True)
    guest_comment(comment_data)
    run_tasks()
    assert len(smtp.to("editor@example.org")) == 1


def test_spam_mails_no_one(writer, comment_data, smtp, run_tasks):
    from samizdat.antispam.checks import HONEYPOT_FIELD

    guest_comment(comment_data, **{HONEYPOT_FIELD: "x"})
    run_tasks()
    assert smtp.messages == []


def test_staff_settings_page(writer, client):
    client.force_login(writer)
    assert client.get("/mail/staff/").status_code == 200
    client.post("/mail/staff/", {"comments": "none"})
    assert StaffMail.objects.get(user=writer).comments == "none"
