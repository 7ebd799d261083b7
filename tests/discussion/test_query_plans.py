"""The reply query of a page of threads uses the thread index, even before any ANALYZE.

Without planner statistics (a new SQLite site) an index led by ``status`` once looked
better to SQLite, and each page read every approved comment on the site. The plans on
a full-size site, on both databases, are printed by ``bench/serve.py``.
"""

from __future__ import annotations

import pytest
from django.db import connection

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.services import visible_filter


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner without statistics")
def test_replies_of_a_page_use_the_thread_index_without_statistics(make_post, make_comment):
    post = make_post()
    roots = [make_comment(post) for _ in range(20)]
    Comment.objects.bulk_create(
        Comment(
            post=post,
            parent=root,
            root=root,
            depth=2,
            author_name="r",
            body="b",
            status=CommentStatus.APPROVED,
        )
        for root in roots
        for _ in range(50)
    )
    replies = Comment.objects.filter(
        visible_filter([]), root__in=[r.pk for r in roots[:5]]
    ).order_by("root_id", "created_at", "id")
    sql, params = replies.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None, "this test is about a database without statistics"
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        text = " ".join(str(row) for row in cursor.fetchall())
    assert "comment_thread_idx" in text and "TEMP B-TREE" not in text, text


@pytest.mark.django_db
def test_the_spam_queue_is_read_in_score_order_through_its_index():
    """Most doubtful first without sorting every spam comment (both databases)."""
    from samizdat.desk.services import QueueFilter, queue

    spam = queue(QueueFilter(status="spam"))[:20]
    sql, params = spam.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params
        )
        if connection.vendor != "sqlite":
            cursor.execute("SET enable_seqscan = off")  # an empty table: ask what it could use
            cursor.execute("EXPLAIN " + sql, params)
        text = " ".join(str(row) for row in cursor.fetchall())
    assert "comment_spam_score_idx" in text, text
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in text, text
