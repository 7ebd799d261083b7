"""A refused comment comes back at the form, says what to fix, and keeps every word."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from samizdat.discussion.models import Comment

URL = reverse("discussion:post-comment")


def tree(response):
    return lxml_html.fromstring(response.content)


@pytest.mark.django_db
class TestErrorSummary:
    def test_form_posts_to_the_respond_anchor(self, client, post):
        form = tree(client.get(post.get_absolute_url())).get_element_by_id("commentform")
        assert form.get("action") == URL + "#respond"

    def test_summary_links_to_each_field_in_error(self, client, post, comment_data):
        response = client.post(URL, comment_data(body="", author_email="nope", author_name=""))
        assert response.status_code == 400
        summary = tree(response).get_element_by_id("comment-form-errors")
        assert summary.get("tabindex") == "-1"
        assert "Your comment has not been posted yet." in summary.text_content()
        targets = {a.get("href") for a in summary.iter("a")}
        assert targets == {"#id_body", "#id_author_name", "#id_author_email"}

    def test_described_by_ids_exist(self, client, post, comment_data):
        for response in (
            client.get(post.get_absolute_url()),
            client.post(URL, comment_data(body="", author_email="nope")),
        ):
            page = tree(response)
            ids = {element.get("id") for element in page.iter() if element.get("id")}
            described = [
                ref
                for element in page.xpath("//*[@aria-describedby]")
                for ref in element.get("aria-describedby").split()
            ]
            assert described, "the fields name their help and errors"
            assert set(described) <= ids, set(described) - ids

    def test_email_note_appears_once(self, client, post):
        html = client.get(post.get_absolute_url()).content.decode()
        assert html.count("Your email address will not be published.") == 1


@pytest.mark.django_db
class TestLengthLimit:
    def test_limit_is_stated_and_no_maxlength_cuts_text(self, client, post):
        page = tree(client.get(post.get_absolute_url()))
        body = page.get_element_by_id("id_body")
        assert body.get("maxlength") is None
        assert body.get("data-maxlength") == "20000"
        assert "Up to 20,000 characters." in page.get_element_by_id("id_body_helptext").text

    def test_overlong_comment_is_refused_whole(self, client, post, comment_data):
        text = "x" * 100_000
        response = client.post(URL, comment_data(body=text))
        assert response.status_code == 400
        assert "it has 100000" in response.content.decode()
        assert tree(response).get_element_by_id("id_body").text.lstrip("\n") == text
        assert not Comment.objects.exists()


@pytest.mark.django_db
class TestDeadParent:
    def test_parent_dropped_text_kept_next_press_posts(
        self, client, post, comment_data, make_comment
    ):
        parent = make_comment(post)
        gone = parent.pk
        parent.delete()
        response = client.post(URL, comment_data(parent_id=gone, body="Still worth saying"))
        assert response.status_code == 400
        page = tree(response)
        assert "no longer available" in page.get_element_by_id("comment-form-errors").text_content()
        assert page.get_element_by_id("id_body").text.strip() == "Still worth saying"
        assert page.get_element_by_id("id_parent_id").get("value") in (None, "")
        # The next press sends what the form now holds: no parent.
        again = client.post(URL, comment_data(body="Still worth saying"))
        assert again.status_code == 302
        assert Comment.objects.get().parent_id is None


@pytest.mark.django_db
class TestWording:
    def test_closed_post_without_comments_has_no_count_heading(self, client, make_post):
        closed = make_post(comments_open=False)
        html = client.get(closed.get_absolute_url()).content.decode()
        assert "No comments" not in html
        assert "Comments are closed." in html

    @override_settings(SAMIZDAT_COMMENTS_FLOOD_SECONDS=30)
    def test_flood_message_says_how_long(self, client, post, comment_data, make_comment):
        make_comment(
            post,
            author_email="guest@example.org",
            created_at=timezone.now() - timedelta(seconds=10),
        )
        response = client.post(URL, comment_data(body="Another thought"))
        assert response.status_code == 400
        message = re.search(r"Please wait (\d+) seconds", response.content.decode())
        assert message and 19 <= int(message[1]) <= 20

    def test_name_length_message_is_ours(self, client, post, comment_data):
        response = client.post(URL, comment_data(author_name="N" * 201))
        html = response.content.decode()
        assert "Please shorten your name to 200 characters or fewer (it has 201)." in html
        assert "Ensure this value" not in html


@pytest.mark.django_db
class TestEntryGone:
    def test_comment_for_a_removed_post_keeps_the_text(self, client, post, comment_data):
        data = comment_data(body="Words worth keeping")
        post.delete()
        response = client.post(URL, data)
        assert response.status_code == 404
        page = tree(response)
        assert page.get_element_by_id("kept-comment").text.strip() == "Words worth keeping"
        assert page.xpath("//meta[@name='viewport']")
        assert page.xpath("//form[@role='search']")

    def test_unknown_url_is_themed(self, client, db):
        response = client.get("/no/such/thing/here/")
        assert response.status_code == 404
        page = tree(response)
        assert page.xpath("//meta[@name='viewport']")
        assert page.xpath("//h1")[0].text == "Page not found"
        assert page.xpath("//a[@href='/']")
        assert page.xpath("//form[@role='search']")

    def test_server_error_page_is_themed(self, rf):
        from django.views.defaults import server_error

        response = server_error(rf.get("/"))
        assert response.status_code == 500
        page = tree(response)
        assert page.xpath("//meta[@name='viewport']")
        assert page.xpath("//form[@role='search']")
        assert page.xpath("//a[@href='/']")
