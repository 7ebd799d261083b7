"""The comment count label and the stored counts behind it."""

import pytest
from django.urls import reverse
from django.utils import translation

from samizdat.discussion import services
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.templatetags.discussion import comment_count_label


@pytest.mark.parametrize(
    ("count", "label"),
    [(0, "No comments"), (1, "One comment"), (2, "2 comments"), (1234, "1,234 comments")],
)
def test_label(count, label):
    with translation.override("en"):
        assert comment_count_label(count) == label


@pytest.mark.django_db
class TestStoredCount:
    def count(self, post):
        post.refresh_from_db()
        return post.comment_count

    def test_only_approved_comments_count(self, post, make_comment):
        make_comment(post)
        for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
            make_comment(post, status=status)
        assert self.count(post) == 1

    def test_moderation_updates_counts(self, post, make_comment):
        pending = [make_comment(post, status=CommentStatus.PENDING) for _ in range(3)]
        assert (
            services.moderate(
                Comment.objects.filter(pk__in=[c.pk for c in pending]), CommentStatus.APPROVED
            )
            == 3
        )
        assert self.count(post) == 3
        services.moderate(Comment.objects.filter(pk=pending[0].pk), CommentStatus.SPAM)
        assert self.count(post) == 2

    def test_save_and_delete_update_counts(self, post, make_comment):
        comment = make_comment(post, status=CommentStatus.PENDING)
        assert self.count(post) == 0
        comment.status = CommentStatus.APPROVED
        comment.save()
        assert self.count(post) == 1
        comment = Comment.objects.get(pk=comment.pk)
        comment.body = "Edited"
        comment.save()
        assert self.count(post) == 1
        comment.delete()
        assert self.count(post) == 0

    def test_labels_on_post_home_and_archive(self, client, post, make_comment, make_post):
        make_comment(post)
        other = make_post()
        for _ in range(2):
            make_comment(other)
        post_page = client.get(post.get_absolute_url()).content.decode()
        assert '<h2 id="comments-title" class="comments-title">One comment</h2>' in post_page
        home = client.get("/").content.decode()
        assert "One comment" in home and "2 comments" in home
        year = post.permalink_kwargs()["year"]
        archive = client.get(reverse("publishing:year", args=[year])).content.decode()
        assert "One comment" in archive

    def test_no_comments_label(self, client, post):
        assert "No comments" in client.get(post.get_absolute_url()).content.decode()


def test_a_new_approved_comment_adds_one_and_the_hourly_task_proves_it(post, make_comment):
    from samizdat.discussion.services import reconcile_counts
    from samizdat.publishing.models import Post

    first = make_comment(post)
    make_comment(post, parent=first)
    make_comment(post, status=CommentStatus.PENDING)
    post.refresh_from_db()
    assert (post.comment_count, post.thread_count) == (2, 1)
    # A count gone wrong (a crash between two writes, a manual edit) is put right.
    Post.objects.filter(pk=post.pk).update(comment_count=7)
    assert reconcile_counts() == 1
    post.refresh_from_db()
    assert post.comment_count == 2
    assert reconcile_counts() == 0
