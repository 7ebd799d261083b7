"""Threaded display, depth limits, comment paging and the query budget."""

import pytest
from django.test import override_settings
from django.urls import reverse

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.threads import comment_page, comment_url

URL = reverse("discussion:post-comment")


def chain(make_comment, post, length):
    parent = None
    comments = []
    for _ in range(length):
        parent = make_comment(post, parent=parent)
        comments.append(parent)
    return comments


def depths(nodes, out=None):
    out = {} if out is None else out
    for node in nodes:
        out[node.comment.pk] = node.depth
        depths(node.replies, out)
    return out


@pytest.mark.django_db
class TestTree:
    def test_replies_nest_in_order(self, post, make_comment):
        a = make_comment(post)
        b = make_comment(post)
        a1 = make_comment(post, parent=a)
        a2 = make_comment(post, parent=a)
        a1x = make_comment(post, parent=a1)
        page = comment_page(post)
        assert [n.comment for n in page.nodes] == [a, b]
        assert [n.comment for n in page.nodes[0].replies] == [a1, a2]
        assert page.nodes[0].replies[0].replies[0].comment == a1x
        assert a1x.root_id == a.pk and a1x.depth == 3

    def test_reply_below_max_depth_attaches_at_max_depth(
        self, client, post, make_comment, comment_data
    ):
        comments = chain(make_comment, post, 5)  # depths 1..5, the default maximum
        response = client.post(URL, comment_data(parent_id=comments[-1].pk))
        assert response.status_code == 302
        reply = Comment.objects.latest("pk")
        assert reply.parent == comments[3] and reply.depth == 5

    @override_settings(SAMIZDAT_COMMENTS_MAX_DEPTH=10)
    def test_depth_is_configurable(self, client, post, make_comment, comment_data):
        comments = chain(make_comment, post, 9)
        client.post(URL, comment_data(parent_id=comments[-1].pk))
        assert Comment.objects.latest("pk").depth == 10

    @override_settings(SAMIZDAT_COMMENTS_MAX_DEPTH=50)
    def test_depth_setting_is_capped_at_ten(self, client, post, make_comment, comment_data):
        comments = chain(make_comment, post, 10)
        client.post(URL, comment_data(parent_id=comments[-1].pk))
        assert Comment.objects.latest("pk").depth == 10

    def test_lowered_max_depth_flattens_display(self, post, make_comment):
        comments = chain(make_comment, post, 6)
        with override_settings(SAMIZDAT_COMMENTS_MAX_DEPTH=3):
            shown = depths(comment_page(post).nodes)
        assert [shown[c.pk] for c in comments] == [1, 2, 3, 3, 3, 3]

    def test_hidden_comments_and_their_replies_are_not_shown(self, post, make_comment):
        a = make_comment(post)
        spam = make_comment(post, parent=a)
        make_comment(post, parent=spam)
        Comment.objects.filter(pk=spam.pk).update(status=CommentStatus.SPAM)
        page = comment_page(post)
        assert page.nodes[0].replies == []

    def test_html_is_nested(self, client, post, make_comment):
        a = make_comment(post)
        a1 = make_comment(post, parent=a)
        html = client.get(post.get_absolute_url()).content.decode()
        assert f'id="comment-{a.pk}" class="comment depth-1 parent"' in html
        assert (
            f'<ol class="children">\n    \n<li id="comment-{a1.pk}" class="comment depth-2' in html
        )


@pytest.mark.django_db
class TestPaging:
    @pytest.fixture(autouse=True)
    def three_per_page(self, settings):
        settings.SAMIZDAT_COMMENTS_PER_PAGE = 3

    def test_pages_are_stable_urls_oldest_first(self, client, post, make_comment):
        tops = [make_comment(post) for _ in range(7)]
        reply = make_comment(post, parent=tops[4])
        page2 = reverse(
            "publishing:post-comment-page", kwargs={**post.permalink_kwargs(), "page": 2}
        )
        assert page2 == post.get_absolute_url() + "comment-page-2/"
        html = client.get(page2).content.decode()
        for top in tops[3:6]:
            assert f'id="comment-{top.pk}"' in html
        assert f'id="comment-{tops[0].pk}"' not in html
        assert f'id="comment-{reply.pk}"' in html
        assert comment_url(reply) == page2 + f"#comment-{reply.pk}"
        assert comment_url(tops[0]) == post.get_absolute_url() + f"#comment-{tops[0].pk}"

    @pytest.mark.parametrize("page", [0, 4, 99])
    def test_page_out_of_range_is_404(self, client, post, make_comment, page):
        for _ in range(7):
            make_comment(post)
        url = f"{post.get_absolute_url()}comment-page-{page}/"
        assert client.get(url).status_code == 404

    def test_permalink_view_redirects_to_page(self, client, post, make_comment):
        tops = [make_comment(post) for _ in range(4)]
        response = client.get(reverse("discussion:comment", args=[tops[3].pk]))
        assert response.status_code == 302
        assert response["Location"].endswith(f"comment-page-2/#comment-{tops[3].pk}")

    def test_permalink_of_unapproved_comment_is_404(self, client, post, make_comment):
        pending = make_comment(post, status=CommentStatus.PENDING)
        assert client.get(reverse("discussion:comment", args=[pending.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("threads", [2, 40])
def test_post_page_queries_do_not_grow(
    client, post, make_comment, threads, django_assert_max_num_queries
):
    for _ in range(threads):
        top = make_comment(post)
        parent = top
        for _ in range(3):
            parent = make_comment(post, parent=parent)
    with django_assert_max_num_queries(10):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment depth-') == threads * 4


@pytest.mark.django_db
def test_a_posted_comment_is_sent_to_the_page_it_is_on(client, post, settings, comment_data):
    """A new thread's page comes from the post's count, read under the row lock; a
    reply's is counted. Either way it is the page the comment is shown on."""
    from samizdat.discussion.models import Comment
    from samizdat.discussion.threads import page_of

    settings.SAMIZDAT_COMMENTS_PER_PAGE = 3
    settings.SAMIZDAT_COMMENTS_MODERATION = "none"
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0
    locations = []
    for n in range(8):
        data = comment_data(body=f"Thread {n}.", author_email=f"t{n}@example.org")
        locations.append(client.post(URL, data)["Location"])
    first = Comment.objects.get(body="Thread 0.")
    reply = client.post(
        URL,
        comment_data(body="A reply.", parent_id=first.pk, author_email="r@example.org"),
    )["Location"]
    locations.append(reply)
    pages = [1, 1, 1, 2, 2, 2, 3, 3, 1]
    for location, page in zip(locations, pages, strict=True):
        comment = Comment.objects.get(pk=int(location.rsplit("#comment-", 1)[1]))
        assert page_of(comment) == page  # counted: a fresh object has no remembered page
        if page > 1:
            assert f"/comment-page-{page}/#comment-{comment.pk}" in location
        else:
            assert "comment-page" not in location
        html = client.get(location.split("#")[0]).content.decode()
        assert f'id="comment-{comment.pk}"' in html
