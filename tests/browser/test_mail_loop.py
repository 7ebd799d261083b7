"""The whole mail loop in a real browser, with a real SMTP server and the real worker."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.notifications.models import Subscription
from samizdat.publishing.models import Post
from tests.conftest import MailServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worker():
    call_command("worker", "--batch")


def link(message, path: str) -> str:
    return re.search(rf"(http://\S+/mail/{path}/\S+/)", MailServer.text(message)).group(1)


def test_subscribe_confirm_moderate_by_mail_notify_unsubscribe(
    live_server, new_page, smtp, settings, make_user
):
    settings.SAMIZDAT_SITE_URL = live_server.url
    settings.SAMIZDAT_COMMENTS_MIN_SECONDS = 0
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0  # two readers, one address: 127.0.0.1
    create_demo_site()
    essay = Post.objects.get(slug=ESSAY_SLUG)
    writer = make_user("writer", email="writer@example.org", is_staff=True, is_superuser=True)
    essay.author = writer
    essay.save()
    url = live_server.url + essay.get_absolute_url()

    # 1. A guest comments and subscribes.
    ann = new_page()
    ann.goto(url)
    ann.get_by_role("textbox", name="Comment").fill("Carr is right about the decrees.")
    ann.get_by_role("textbox", name="Name").fill("Ann Ivanova")
    ann.get_by_role("textbox", name="Email").fill("ann@example.org")
    ann.get_by_role("checkbox", name="Notify me of follow-up comments by email.").check()
    ann.get_by_role("button", name="Post Comment").click()
    first = Comment.objects.get(body="Carr is right about the decrees.")
    Comment.objects.filter(pk=first.pk).update(status=CommentStatus.APPROVED)

    # 2. The confirmation mail arrives, and its link works.
    worker()
    (confirmation,) = smtp.to("ann@example.org")
    ann.goto(link(confirmation, "confirm"))
    ann.get_by_role("button", name="Confirm").click()
    expect(ann.get_by_role("heading", name="Subscription confirmed")).to_be_visible()

    # 3. The writer approves a second guest's reply from the moderation mail.
    smtp.messages.clear()
    bob = new_page()
    bob.goto(url)
    bob.locator(f"#comment-{first.pk}").get_by_role("link", name=re.compile("Reply")).click()
    bob.get_by_role("textbox", name="Comment").fill("Bob's reply to Ann.")
    bob.get_by_role("textbox", name="Name").fill("Bob")
    bob.get_by_role("textbox", name="Email").fill("bob@example.org")
    bob.get_by_role("button", name="Post Comment").click()
    reply = Comment.objects.get(body="Bob's reply to Ann.")
    assert reply.status == CommentStatus.PENDING and reply.parent_id == first.pk
    worker()
    assert smtp.to("ann@example.org") == [], "held: nothing to readers"
    (moderation,) = smtp.to("writer@example.org")
    writer_page = new_page()
    writer_page.goto(re.search(r"Approve: (\S+)", MailServer.text(moderation)).group(1))
    writer_page.get_by_role("button", name="Approve").click()
    expect(writer_page.get_by_text("The comment is now approved.")).to_be_visible()

    # 4. The first guest gets one mail with both headers.
    worker()
    (notice,) = smtp.to("ann@example.org")
    assert "Bob's reply to Ann." in MailServer.text(notice)
    unsubscribe = notice["List-Unsubscribe"].strip().strip("<>")
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # 5. A one-click POST to its List-Unsubscribe URL ends the subscription.
    answer = ann.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    assert not Subscription.objects.exists()

    # 6. A further reply sends nothing.
    smtp.messages.clear()
    Comment.objects.create(
        post=essay, parent=first, author_name="Cy", author_email="cy@example.org",
        body="One more.", status=CommentStatus.APPROVED,
    )  # fmt: skip
    from samizdat.core.background import enqueue_once
    from samizdat.notifications.tasks import notify_subscribers

    enqueue_once(notify_subscribers, essay.pk)
    worker()
    assert smtp.to("ann@example.org") == []
