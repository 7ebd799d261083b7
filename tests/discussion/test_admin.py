"""Moderating in the Django admin: filters, search and bulk actions."""

import pytest
from django.urls import reverse

from samizdat.discussion.models import Comment, CommentStatus

CHANGELIST = reverse("admin:discussion_comment_changelist")


@pytest.fixture
def editor(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.django_db
class TestCommentAdmin:
    def test_filter_by_status_and_search(self, editor, post, make_comment):
        make_comment(post, body="Approved words")
        make_comment(
            post, body="Held words", status=CommentStatus.PENDING, author_email="held@example.org"
        )
        pending = editor.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
        assert "Held words" in pending and "Approved words" not in pending
        found = editor.get(CHANGELIST, {"q": "held@example.org"}).content.decode()
        assert "Held words" in found and "Approved words" not in found

    @pytest.mark.parametrize(
        ("action", "status", "count"),
        [
            ("mark_approved", CommentStatus.APPROVED, 3),
            ("mark_spam", CommentStatus.SPAM, 0),
            ("mark_trash", CommentStatus.TRASH, 0),
            ("mark_pending", CommentStatus.PENDING, 0),
        ],
    )
    def test_bulk_actions_update_status_and_count(
        self, editor, post, make_comment, action, status, count
    ):
        comments = [make_comment(post, status=CommentStatus.PENDING) for _ in range(2)]
        comments.append(make_comment(post))
        response = editor.post(
            CHANGELIST,
            {
                "action": action,
                "_selected_action": [c.pk for c in comments],
            },
            follow=True,
        )
        assert response.status_code == 200
        assert set(Comment.objects.values_list("status", flat=True)) == {status}
        post.refresh_from_db()
        assert post.comment_count == count

    def test_delete_from_admin_updates_count(self, editor, post, make_comment):
        comment = make_comment(post)
        post.refresh_from_db()
        assert post.comment_count == 1
        editor.post(reverse("admin:discussion_comment_delete", args=[comment.pk]), {"post": "yes"})
        post.refresh_from_db()
        assert post.comment_count == 0

    def test_post_admin_with_sources_inline(self, editor, post):
        response = editor.get(reverse("admin:publishing_post_change", args=[post.pk]))
        assert response.status_code == 200
        assert "sources-TOTAL_FORMS" in response.content.decode()

    def test_anonymous_cannot_moderate(self, client, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        response = client.post(
            CHANGELIST, {"action": "mark_approved", "_selected_action": [comment.pk]}
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        comment.refresh_from_db()
        assert comment.status == CommentStatus.PENDING


@pytest.mark.django_db
def test_provider_filter_names_guests(client, staff, post, make_comment):
    make_comment(post)
    make_comment(post, identity_provider="github", identity_uid="1")
    client.force_login(staff)
    html = client.get("/admin/discussion/comment/").content.decode()
    assert ">Guests</a>" in html and ">GitHub</a>" in html
    guests = client.get("/admin/discussion/comment/", {"provider": "guest"}).content.decode()
    assert guests.count('name="_selected_action"') == 1
