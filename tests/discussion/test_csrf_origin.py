"""Readers without scripts post from cached pages: the browser's Origin header stands in
for the CSRF token, and only for the comment form and the login buttons."""

import pytest
from django.test import Client

from samizdat.discussion.models import Comment

URL = "/comments/post/"


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
class TestOriginInsteadOfToken:
    def test_same_origin_posts_without_a_token(self, strict, comment_data):
        response = strict.post(URL, comment_data(), HTTP_ORIGIN="http://testserver")
        assert response.status_code == 302
        assert Comment.objects.count() == 1

    def test_sec_fetch_site_same_origin_without_origin(self, strict, comment_data):
        response = strict.post(URL, comment_data(), HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 302

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "https://evil.example"},
            {"HTTP_ORIGIN": "null"},
            {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_SEC_FETCH_SITE": "same-site"},
            {},
        ],
    )
    def test_anything_else_still_needs_the_token(self, strict, comment_data, headers):
        response = strict.post(URL, comment_data(body="Kept though refused"), **headers)
        assert response.status_code == 403
        assert "Kept though refused" in response.content.decode()
        assert not Comment.objects.exists()

    def test_trusted_origin_is_accepted(self, strict, comment_data, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://essays.example.org"]
        response = strict.post(URL, comment_data(), HTTP_ORIGIN="https://essays.example.org")
        assert response.status_code == 302

    def test_other_forms_still_need_the_token(self, strict, db):
        response = strict.post(
            "/admin/login/",
            {"username": "x", "password": "y"},
            HTTP_ORIGIN="http://testserver",
        )
        assert response.status_code == 403

    def test_login_button_without_token(self, strict, post):
        response = strict.post(
            "/identity/login/",
            {"provider": "nope", "post_id": post.pk, "next": post.get_absolute_url()},
            HTTP_ORIGIN="http://testserver",
        )
        # Past the CSRF check: the unknown provider is what stops it.
        assert response.status_code == 404
