"""``samizdat spam check``: JSON lines in, a verdict line out for each."""

import io
import json

import pytest
from django.core.management import call_command

from samizdat.antispam.models import SpamKey

pytestmark = pytest.mark.django_db


def check(monkeypatch, *lines):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    code = 0
    try:
        call_command("spam", "check", stdout=out)
    except SystemExit as exit:
        code = exit.code
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_verdicts_and_reasons_as_a_posted_comment_gets_them(monkeypatch):
    SpamKey.objects.create(kind="disallowed", text="pills")
    code, results = check(
        monkeypatch,
        json.dumps({"body": "A fair point, well made.", "author_name": "Ann"}),
        json.dumps({"body": "http://a.example http://b.example http://c.example"}),
        json.dumps({"body": "cheap", "author_url": "https://pills.example"}),
    )
    assert code == 0
    assert [r["verdict"] for r in results] == ["pass", "hold", "spam"]
    assert results[1]["reasons"] == ["held: 3 links"]
    assert results[2]["reasons"] == ["spam: disallowed key \u201cpills\u201d (website)"]


def test_bad_lines_are_reported_and_the_rest_checked(monkeypatch):
    code, results = check(monkeypatch, "{not json", json.dumps([1]), json.dumps({"body": "ok"}))
    assert code == 1
    assert results[0]["line"] == 1 and results[0]["error"]
    assert results[1]["line"] == 2 and "body" in results[1]["error"]
    assert results[2]["verdict"] == "pass"


def test_check_gives_the_learned_score(monkeypatch, post):
    from samizdat.antispam import learning
    from samizdat.discussion.models import Comment, CommentStatus

    Comment.objects.bulk_create(
        Comment(
            post=post,
            author_name="A",
            body=f"{text} {n}",
            status=CommentStatus.SPAM if spam else CommentStatus.APPROVED,
        )
        for n in range(25)
        for text, spam in (
            ("subscribe to my channel for free gift cards", True),
            ("the argument about the decrees of 1917 holds", False),
        )
    )
    learning.train()
    code, results = check(
        monkeypatch,
        json.dumps({"body": "free gift cards, subscribe to my channel"}),
        json.dumps({"body": "the decrees of 1917 argument"}),
    )
    assert code == 0
    assert results[0]["verdict"] == "spam" and results[0]["score"] > 0.6
    assert results[0]["reasons"][0].startswith("spam: learned filter, score")
    assert results[1]["verdict"] == "pass" and results[1]["score"] < 0.4
