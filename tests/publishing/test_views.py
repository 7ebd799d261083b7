"""Reader pages: home, post, pages, archives, search, and the errors readers can cause."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samizdat.publishing.models import Category, Page, PostStatus, Source, Tag


@pytest.mark.django_db
class TestHome:
    def test_newest_first_with_excerpt(self, client, make_post):
        old = make_post("Old one", published_at=timezone.now() - timedelta(days=9))
        new = make_post("New one", excerpt="Fresh summary.")
        html = client.get("/").content.decode()
        assert html.index(new.title) < html.index(old.title)
        assert "Fresh summary." in html

    def test_drafts_private_and_future_are_hidden(self, client, make_post):
        make_post("Visible")
        make_post("A draft", status=PostStatus.DRAFT)
        make_post("Secret", status=PostStatus.PRIVATE)
        make_post(
            "Later", status=PostStatus.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
        )
        html = client.get("/").content.decode()
        assert "Visible" in html
        for hidden in ("A draft", "Secret", "Later"):
            assert hidden not in html

    def test_scheduled_post_appears_when_due(self, client, make_post):
        make_post(
            "Due", status=PostStatus.SCHEDULED, published_at=timezone.now() - timedelta(seconds=1)
        )
        assert "Due" in client.get("/").content.decode()

    def test_pagination(self, client, make_post, settings):
        settings.SAMIZDAT_POSTS_PER_PAGE = 2
        for _ in range(5):
            make_post()
        assert client.get("/page/3/").status_code == 200
        assert 'href="/page/2/"' in client.get("/").content.decode()
        assert client.get("/page/4/").status_code == 404
        assert client.get("/page/0/").status_code == 404

    @pytest.mark.parametrize("count", [3, 30])
    def test_queries_do_not_grow(
        self, client, make_post, count, settings, django_assert_max_num_queries
    ):
        settings.SAMIZDAT_POSTS_PER_PAGE = 50
        tag = Tag.objects.create(name="t")
        cat = Category.objects.create(name="c")
        for _ in range(count):
            post = make_post()
            post.tags.add(tag)
            post.categories.add(cat)
        with django_assert_max_num_queries(6):
            response = client.get("/")
        assert response.content.decode().count('class="post-summary"') == count


@pytest.mark.django_db
class TestPostPage:
    def test_post_page_shows_everything(self, client, post, staff):
        post.author = staff
        post.save()
        Source.objects.create(post=post, position=1, title="Second", authors="B")
        Source.objects.create(
            post=post, position=0, title="First", authors="A", note="A remark on the source."
        )
        html = client.get(post.get_absolute_url()).content.decode()
        assert '<h1 class="entry-title">An essay</h1>' in html
        assert 'rel="author">Edith Editor</a>' in html
        assert html.index("First") < html.index("Second")
        assert "A remark on the source." in html
        assert '<h2 id="sources-title">Sources</h2>' in html
        assert "Leave a Reply" in html
        assert 'for="id_body">Comment' in html and 'for="id_author_name">Name' in html
        assert 'for="id_author_email">Email' in html and 'for="id_author_url">Website' in html

    def test_unknown_slug_is_404(self, client, post):
        kwargs = {**post.permalink_kwargs(), "slug": "no-such-post"}
        assert client.get(reverse("publishing:post", kwargs=kwargs)).status_code == 404

    def test_wrong_date_redirects_to_permalink(self, client, post):
        response = client.get(f"/1999/01/01/{post.slug}/")
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()

    def test_invalid_date_in_archive_is_404(self, client):
        assert client.get("/2024/13/").status_code == 404
        assert client.get("/2024/02/30/").status_code == 404

    @pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.PRIVATE])
    def test_hidden_post_is_404_for_readers(self, client, make_post, status):
        hidden = make_post(status=status)
        assert client.get(hidden.get_absolute_url()).status_code == 404

    def test_private_post_visible_to_staff(self, client, make_post, staff):
        private = make_post("Staff only", status=PostStatus.PRIVATE)
        client.force_login(staff)
        html = client.get(private.get_absolute_url()).content.decode()
        assert "Staff only" in html

    def test_no_js_reply_link_prefills_parent(self, client, post, make_comment):
        parent = make_comment(post, author_name="Ada")
        html = client.get(post.get_absolute_url() + f"?replytocom={parent.pk}").content.decode()
        assert "Reply to Ada" in html
        assert f'name="parent_id" value="{parent.pk}"' in html

    def test_reply_link_and_anchor(self, client, post, make_comment):
        comment = make_comment(post, author_name="Ada")
        html = client.get(post.get_absolute_url()).content.decode()
        assert f'href="{post.get_absolute_url()}?replytocom={comment.pk}#respond"' in html
        assert f'id="comment-{comment.pk}"' in html

    def test_closed_post_has_no_form(self, client, make_post):
        closed = make_post(comments_open=False)
        html = client.get(closed.get_absolute_url()).content.decode()
        assert "Comments are closed." in html and "Leave a Reply" not in html


@pytest.mark.django_db
class TestArchivesAndSearch:
    def test_category_and_tag_archives(self, client, make_post):
        cat = Category.objects.create(name="History")
        tag = Tag.objects.create(name="press")
        inside = make_post("Inside")
        inside.categories.add(cat)
        inside.tags.add(tag)
        make_post("Outside")
        for url in ("/category/history/", "/tag/press/"):
            html = client.get(url).content.decode()
            assert "Inside" in html and "Outside" not in html
        assert client.get("/category/nothing/").status_code == 404

    def test_date_archives(self, client, make_post):
        make_post("Spring essay", published_at=datetime(2024, 3, 5, 12, tzinfo=UTC))
        make_post("Later essay", published_at=datetime(2024, 4, 1, 12, tzinfo=UTC))
        assert "Spring essay" in client.get("/2024/").content.decode()
        month = client.get("/2024/03/").content.decode()
        assert "Spring essay" in month and "Later essay" not in month
        assert "Spring essay" in client.get("/2024/03/05/").content.decode()
        assert "Spring essay" not in client.get("/2024/03/06/").content.decode()

    def test_search(self, client, make_post):
        make_post("On carbon paper", body="Typists made copies.")
        make_post("Unrelated", body="Gardening.")
        html = client.get("/", {"s": "typists copies"}).content.decode()
        assert "On carbon paper" in html and "Unrelated" not in html
        assert "Search results for" in html

    def test_search_without_results_and_hostile_input(self, client, make_post):
        make_post("Something")
        html = client.get("/", {"s": "<script>x</script>"}).content.decode()
        assert "Nothing matched your search." in html
        assert "<script>x</script>" not in html

    def test_page(self, client, db):
        Page.objects.create(title="About", body="About *us*.")
        Page.objects.create(title="Hidden", published=False)
        html = client.get("/about/").content.decode()
        assert "About <em>us</em>." in html
        assert client.get("/hidden/").status_code == 404
        assert client.get("/no/such/page/").status_code == 404
        assert 'href="/about/">About</a>' in client.get("/").content.decode()
