"""A NUL character anywhere in a request: 400 or 404 on both databases, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/%00",
    "/?s=%00",
    "/?s=a%00b",
    "/?p=%00",
    "/?page_id=1%00",
    "/2026/01/01/a%00b/",
    "/category/x%00/",
    "/tag/%00/",
    "/author/%00/",
    "/feed/?x=%00",
    "/about%00/",
    "/some/old%00/page/",
    "/mail/confirm/%00/",
    "/preview/%00/",
    "/media/%00.jpg",
    "/comments/challenge/%00",
]


@pytest.mark.parametrize("url", URLS)
def test_nul_in_addresses(client, url, post):
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)


@pytest.mark.parametrize("field", ["body", "author_name", "author_email", "author_url"])
def test_nul_in_comment_fields(client, comment_data, field):
    data = comment_data()
    data[field] = f"a\x00{data.get(field) or 'b'}"
    response = client.post("/comments/post/", data)
    assert response.status_code == 400


def test_nul_in_admin_search(admin_client):
    assert admin_client.get("/admin/desk/?q=%00").status_code == 400
    assert admin_client.get("/admin/publishing/post/?q=a%00").status_code == 400
