"""The database cannot grow (SQLite's real SQLITE_FULL): a clear 503, the text kept."""

import pytest
from django.db import connection

from samizdat.discussion.models import Comment

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page limit makes it full")
def test_a_full_database_answers_503_with_the_text(client, comment_data, post):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        # No page more may be added: the next insert that needs one fails "disk is full".
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        long_text = "A long comment that needs new pages. " * 500
        response = client.post("/comments/post/", comment_data(body=long_text))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    page = response.content.decode()
    assert "cannot store comments right now" in page and long_text.strip()[:200] in page
    assert not Comment.objects.filter(body=long_text).exists()
