"""The comments desk: queues, actions, undo, permissions and what readers see after."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from samizdat.desk import services
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.signals import comments_moderated
from samizdat.publishing.models import Page

DESK = "/admin/desk/"
ACT = "/admin/desk/action/"
UNDO = "/admin/desk/undo/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    client.force_login(staff)
    return client


def tree(response):
    return lxml_html.fromstring(response.content)


def row_ids(response):
    return [int(li.get("data-id")) for li in tree(response).xpath("//li[@data-id]")]


def act(client, action, *comments, json_mode=False, **data):
    headers = {"HTTP_X_DESK": "1"} if json_mode else {}
    return client.post(ACT, {"action": action, "ids": [c.pk for c in comments], **data}, **headers)


def reader_sees(post):
    """What an anonymous reader gets on the very next request."""
    return Client().get(post.get_absolute_url()).content.decode()


class TestQueues:
    def test_queues_count_and_list_newest_first(self, desk, post, make_comment):
        old = make_comment(post, status=CommentStatus.PENDING)
        new = make_comment(post, status=CommentStatus.PENDING)
        make_comment(post)
        make_comment(post, status=CommentStatus.SPAM)
        response = desk.get(DESK, {"status": "pending"})
        assert response.status_code == 200
        assert row_ids(response) == [new.pk, old.pk]
        counts = {el.get("data-count"): el.text for el in tree(response).xpath("//*[@data-count]")}
        assert counts == {
            "all": "(3)",
            "pending": "(2)",
            "approved": "(1)",
            "spam": "(1)",
            "trash": "(0)",
        }

    def test_filter_by_post_and_search(self, desk, post, make_post, make_comment):
        other = make_post()
        mine = make_comment(post, body="About carbon copies", author_name="Zed")
        theirs = make_comment(other, body="Another thing", ip_address="203.0.113.9")
        assert row_ids(desk.get(DESK, {"post": post.pk})) == [mine.pk]
        assert row_ids(desk.get(DESK, {"q": "carbon"})) == [mine.pk]
        assert row_ids(desk.get(DESK, {"q": "zed"})) == [mine.pk]
        assert row_ids(desk.get(DESK, {"q": theirs.author_email})) == [theirs.pk]
        assert row_ids(desk.get(DESK, {"q": "203.0.113.9"})) == [theirs.pk]
        identity = make_comment(post, identity_provider="github", identity_uid="42")
        assert row_ids(desk.get(DESK, {"q": "github"})) == [identity.pk]

    def test_row_shows_history_parent_and_post(self, desk, post, make_comment):
        parent = make_comment(post, author_name="Parent Person")
        make_comment(post, author_email="h@example.org", status=CommentStatus.SPAM)
        reply = make_comment(
            post, parent=parent, author_email="h@example.org", status=CommentStatus.PENDING
        )
        row = tree(desk.get(DESK, {"status": "pending"})).get_element_by_id(
            f"desk-comment-{reply.pk}"
        )
        text = row.text_content()
        assert "0 approved · 1 pending · 1 spam" in " ".join(text.split())
        assert "in reply to" in text and "Parent Person" in text
        assert row.xpath(f".//a[@href='{post.get_absolute_url()}']")

    @pytest.mark.parametrize("size", [5, 40])
    def test_queries_do_not_grow_with_the_page(
        self, desk, post, make_comment, size, django_assert_max_num_queries, settings
    ):
        settings.SAMIZDAT_DESK_PER_PAGE = 50
        for n in range(size):
            parent = make_comment(post)
            make_comment(
                post,
                parent=parent,
                status=CommentStatus.PENDING,
                author_email=f"a{n}@example.org",
                identity_provider="github" if n % 2 else "",
                identity_uid=str(n),
            )
        with django_assert_max_num_queries(11):
            response = desk.get(DESK, {"status": "pending"})
        assert len(row_ids(response)) == size

    def test_badge_on_staff_pages_and_admin_home(self, desk, post, make_comment):
        make_comment(post, status=CommentStatus.PENDING)
        make_comment(post, status=CommentStatus.PENDING)
        home = tree(desk.get("/admin/"))
        assert home.xpath("//*[@data-pending-badge]")[0].text == "2"
        headings = [h.text_content().strip() for h in home.xpath("//caption | //h2")]
        assert headings.index("Writing") < headings.index("Comments") < headings.index("Advanced")
        assert home.xpath("//a[text()='Comments (2 pending)']")[0].get("href").startswith(DESK)
        assert "Social application tokens" not in " ".join(
            home.xpath("//div[contains(@class,'app-writing')]//text()")
        )
        reader = tree(desk.get(post.get_absolute_url()))
        assert reader.xpath("//li[@class='staff-link']//span[@class='pending-badge']")


class TestActions:
    def test_approve_updates_count_and_readers_page(
        self, desk, post, make_comment, django_capture_on_commit_callbacks
    ):
        pending = make_comment(post, status=CommentStatus.PENDING, body="Held words")
        assert "Held words" not in reader_sees(post)
        # The reader's page follows once the action is committed (as it is, outside tests).
        with django_capture_on_commit_callbacks(execute=True):
            response = act(desk, "approve", pending)
        assert response.status_code == 302
        pending.refresh_from_db()
        post.refresh_from_db()
        assert pending.status == CommentStatus.APPROVED and post.comment_count == 1
        page = reader_sees(post)
        assert "Held words" in page and "One comment" in page

    def test_spam_then_undo(self, desk, post, make_comment, django_capture_on_commit_callbacks):
        comment = make_comment(post, body="Borderline")
        with django_capture_on_commit_callbacks(execute=True):
            response = act(desk, "spam", comment, json_mode=True)
        data = response.json()
        assert data["ok"] and data["undo"] and data["counts"]["spam"] == 1
        assert f'id="desk-comment-{comment.pk}"' in data["rows"][str(comment.pk)]
        assert "Borderline" not in reader_sees(post)
        with django_capture_on_commit_callbacks(execute=True):
            undone = desk.post(UNDO, {"token": data["undo"]}, HTTP_X_DESK="1").json()
        assert undone["ok"]
        comment.refresh_from_db()
        assert comment.status == CommentStatus.APPROVED
        assert "Borderline" in reader_sees(post)

    def test_counts_answered_are_the_queue_shown(self, desk, post, make_post, make_comment):
        mine = make_comment(post, status=CommentStatus.PENDING)
        make_comment(make_post(), status=CommentStatus.PENDING)
        data = act(
            desk, "approve", mine, json_mode=True, next=f"{DESK}?status=pending&post={post.pk}"
        ).json()
        assert data["counts"]["pending"] == 0 and data["counts"]["approved"] == 1
        assert data["pending"] == 1, "the badge counts the whole site"

    def test_not_spam_and_restore_put_back_what_was(self, desk, post, make_comment):
        pending = make_comment(post, status=CommentStatus.PENDING)
        approved = make_comment(post)
        act(desk, "spam", pending)
        act(desk, "trash", approved)
        pending.refresh_from_db()
        assert pending.previous_status == CommentStatus.PENDING
        act(desk, "not_spam", pending)
        act(desk, "restore", approved)
        pending.refresh_from_db()
        approved.refresh_from_db()
        assert (pending.status, approved.status) == ("pending", "approved")

    def test_no_js_notice_offers_undo(self, desk, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        response = act(desk, "approve", comment, next=f"{DESK}?status=pending")
        assert response["Location"] == f"{DESK}?status=pending"
        page = tree(desk.get(response["Location"]))
        notice = page.get_element_by_id("desk-notice")
        assert "1 comment approved." in notice.text_content()
        token = notice.xpath(".//input[@name='token']")[0].get("value")
        desk.post(UNDO, {"token": token})
        comment.refresh_from_db()
        assert comment.status == CommentStatus.PENDING

    def test_bulk_trash(self, desk, post, make_comment):
        comments = [make_comment(post) for _ in range(3)]
        kept = make_comment(post)
        act(desk, "trash", *comments)
        assert set(Comment.objects.filter(status="trash")) == set(comments)
        post.refresh_from_db()
        assert post.comment_count == 1
        assert Comment.objects.get(pk=kept.pk).status == "approved"

    def test_reply_as_staff_approves_a_pending_parent(self, desk, staff, post, make_comment):
        pending = make_comment(post, status=CommentStatus.PENDING, body="A question?")
        data = act(desk, "reply", pending, json_mode=True, body="An answer.").json()
        assert data["ok"], data
        reply = Comment.objects.get(body="An answer.")
        pending.refresh_from_db()
        assert pending.status == "approved"
        assert reply.parent_id == pending.pk and reply.status == "approved"
        assert reply.user == staff and reply.author_name == "Edith Editor"
        assert "An answer." in reader_sees(post) and "A question?" in reader_sees(post)
        desk.post(UNDO, {"token": data["undo"]})
        assert not Comment.objects.filter(pk=reply.pk).exists()
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_staff_reply_below_the_maximum_depth_joins_the_siblings(self, desk, post, make_comment):
        parent = None
        for _ in range(5):
            parent = make_comment(post, parent=parent)
        assert parent.depth == 5
        act(desk, "reply", parent, body="Deep answer.")
        reply = Comment.objects.get(body="Deep answer.")
        assert reply.depth == 5 and reply.parent_id == parent.parent_id

    def test_quick_edit_checks_fields_and_undoes(self, desk, post, make_comment):
        comment = make_comment(post, body="Teh typo", author_name="Ann")
        bad = act(
            desk, "edit", comment, json_mode=True, body="x", author_name="", author_email="no"
        )
        assert bad.status_code == 400 and "Name" in bad.json()["message"]
        data = act(
            desk,
            "edit",
            comment,
            json_mode=True,
            body="The typo, fixed",
            author_name="Ann",
            author_email="ann@example.org",
            author_url="",
        ).json()
        comment.refresh_from_db()
        assert comment.body == "The typo, fixed" and "fixed" in comment.body_html
        assert "The typo, fixed" in reader_sees(post)
        desk.post(UNDO, {"token": data["undo"]})
        comment.refresh_from_db()
        assert comment.body == "Teh typo"

    def test_delete_only_from_spam_or_trash_and_replies_survive(self, desk, post, make_comment):
        top = make_comment(post, body="Top")
        middle = make_comment(post, parent=top, body="Middle")
        bottom = make_comment(post, parent=middle, body="Bottom")
        refused = act(desk, "delete", middle, json_mode=True)
        assert refused.status_code == 400 and "Trash" in refused.json()["message"]
        act(desk, "trash", middle)
        data = act(desk, "delete", middle, json_mode=True).json()
        assert data["removed"] == [middle.pk]
        assert not Comment.objects.filter(pk=middle.pk).exists()
        bottom.refresh_from_db()
        assert (bottom.parent_id, bottom.root_id, bottom.depth) == (top.pk, top.pk, 2)
        assert "Bottom" in reader_sees(post)

    def test_deleting_a_top_level_comment_lifts_its_thread(self, desk, post, make_comment):
        top = make_comment(post, status=CommentStatus.SPAM)
        reply = make_comment(post, parent=top)
        deeper = make_comment(post, parent=reply)
        act(desk, "delete", top)
        reply.refresh_from_db()
        deeper.refresh_from_db()
        assert (reply.parent_id, reply.root_id, reply.depth) == (None, None, 1)
        assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, reply.pk, 2)
        post.refresh_from_db()
        assert post.thread_count == 1 and post.comment_count == 2

    def test_empty_spam(self, desk, post, make_comment):
        for _ in range(3):
            make_comment(post, status=CommentStatus.SPAM)
        kept = make_comment(post, status=CommentStatus.TRASH)
        desk.post("/admin/desk/empty/", {"status": "spam"})
        assert list(Comment.objects.all()) == [kept]

    def test_empty_trash_command_keeps_recent_ones(self, post, make_comment, capsys):
        now = timezone.now()
        old = make_comment(post, status=CommentStatus.TRASH)
        Comment.objects.filter(pk=old.pk).update(moderated_at=now - timedelta(days=31))
        recent = make_comment(
            post, status=CommentStatus.TRASH, created_at=now - timedelta(days=400)
        )
        Comment.objects.filter(pk=recent.pk).update(moderated_at=now - timedelta(days=2))
        imported = make_comment(
            post, status=CommentStatus.SPAM, created_at=now - timedelta(days=90)
        )
        call_command("empty_trash")
        assert list(Comment.objects.all()) == [recent]
        assert not Comment.objects.filter(pk__in=[old.pk, imported.pk]).exists()

    def test_signal_names_pages_too(self, desk, make_comment):
        page = Page.objects.create(title="About", slug="about", comments_open=True)
        comment = Comment.objects.create(
            page=page, author_name="P", author_email="p@example.org", body="On a page"
        )
        received = []
        comments_moderated.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t")
        try:
            act(desk, "approve", comment)
        finally:
            comments_moderated.disconnect(dispatch_uid="t")
        assert received[0]["page_ids"] == {page.pk} and received[0]["post_ids"] == set()
        page.refresh_from_db()
        assert page.comment_count == 1


class TestBadInput:
    def test_later_action_wins_and_row_shows_current_state(self, desk, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        act(desk, "spam", comment)  # another moderator, meanwhile
        data = act(desk, "approve", comment, json_mode=True).json()
        assert data["ok"]
        assert 'data-status="approved"' in data["rows"][str(comment.pk)]

    def test_deleted_comment(self, desk, post, make_comment):
        comment = make_comment(post, status=CommentStatus.SPAM)
        pk = comment.pk
        comment.delete()
        response = desk.post(ACT, {"action": "approve", "ids": [pk]}, HTTP_X_DESK="1")
        assert response.status_code == 400
        assert "no longer exists" in response.json()["message"]
        plain = desk.post(ACT, {"action": "approve", "ids": [pk]})
        assert plain.status_code == 302
        assert "no longer exists" in desk.get(plain["Location"]).content.decode()

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "approve"},
            {"action": "nonsense", "ids": ["1"]},
            {"action": "approve", "ids": ["abc"]},
            {"action": "approve", "ids": ["9" * 30]},
            {"action": "reply", "ids": ["1", "2"]},
            {"token": "forged"},
        ],
    )
    def test_malformed_posts_get_a_message(self, desk, post, make_comment, data):
        make_comment(post)
        make_comment(post)
        url = UNDO if "token" in data else ACT
        response = desk.post(url, data, HTTP_X_DESK="1")
        assert response.status_code == 400
        assert json.loads(response.content)["message"]

    def test_non_staff_cannot_see_or_act(self, client, make_user, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        client.force_login(make_user())
        assert client.get(DESK).status_code == 302
        assert client.post(ACT, {"action": "approve", "ids": [comment.pk]}).status_code == 302
        comment.refresh_from_db()
        assert comment.status == "pending"

    def test_staff_without_permission_sees_no_buttons_and_is_refused(
        self, client, make_user, post, make_comment
    ):
        comment = make_comment(post, status=CommentStatus.PENDING)
        viewer = make_user(is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        client.force_login(viewer)
        page = tree(client.get(DESK))
        assert not page.xpath("//form[contains(@class,'desk-actions')]")
        assert not page.xpath("//*[@id='bulk-form']")
        response = client.post(ACT, {"action": "approve", "ids": [comment.pk]}, HTTP_X_DESK="1")
        assert response.status_code == 400
        assert "may not moderate" in response.json()["message"]
        comment.refresh_from_db()
        assert comment.status == "pending"
        reader = tree(client.get(post.get_absolute_url()))
        assert not reader.xpath("//form[contains(@class,'staff-actions')]")

    def test_csrf_failure_is_not_a_500(self, staff, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)
        response = client.post(ACT, {"action": "approve", "ids": [comment.pk]})
        assert response.status_code == 403


class TestReaderPageForStaff:
    def test_staff_see_pending_in_place_with_buttons(self, desk, post, make_comment):
        pending = make_comment(post, status=CommentStatus.PENDING, body="Waiting here")
        page = tree(desk.get(post.get_absolute_url()))
        item = page.get_element_by_id(f"comment-{pending.pk}")
        assert "pending" in item.get("class")
        buttons = [b.text for b in item.xpath(".//form[contains(@class,'staff-actions')]//button")]
        assert buttons == ["Approve", "Spam", "Trash"]
        assert page.xpath("//a[@class='post-edit-link']")

    def test_staff_pages_are_never_kept_for_readers(self, desk, post, make_comment, settings):
        settings.SAMIZDAT_PAGE_CACHE = True
        make_comment(post, status=CommentStatus.PENDING, body="Only staff see this")
        staff_page = desk.get(post.get_absolute_url())
        assert "Only staff see this" in staff_page.content.decode()
        assert "private" in staff_page["Cache-Control"]
        for _ in range(2):  # a kept page would be served the second time
            html = reader_sees(post)
            assert "Only staff see this" not in html
            assert "staff-actions" not in html

    def test_acting_from_the_reader_page_returns_there(self, desk, post, make_comment):
        pending = make_comment(post, status=CommentStatus.PENDING, body="Approve me")
        form = tree(desk.get(post.get_absolute_url())).xpath(
            "//form[contains(@class,'staff-actions')]"
        )[0]
        next_url = form.xpath(".//input[@name='next']")[0].get("value")
        response = desk.post(ACT, {"action": "approve", "ids": [pending.pk], "next": next_url})
        assert response["Location"] == next_url
        assert "Approve me" in reader_sees(post)


def test_undo_token_expires(staff, post, make_comment, settings):
    comment = make_comment(post)
    outcome = services.perform("spam", [comment.pk], staff)
    settings.SAMIZDAT_DESK_UNDO_SECONDS = -1
    with pytest.raises(services.ActionRefused, match="too old"):
        services.undo(outcome.undo, staff)


def test_search_pages_without_counting(desk, post, make_comment, settings):
    settings.SAMIZDAT_DESK_PER_PAGE = 2
    found = [make_comment(post, body=f"needle {n}") for n in range(5)]
    make_comment(post, body="hay")
    first = desk.get(DESK, {"q": "needle"})
    assert row_ids(first) == [found[4].pk, found[3].pk]
    assert tree(first).xpath("//a[@rel='next']") and not tree(first).xpath("//a[@rel='prev']")
    last = desk.get(DESK, {"q": "needle", "p": 3})
    assert row_ids(last) == [found[0].pk]
    assert not tree(last).xpath("//a[@rel='next']")
