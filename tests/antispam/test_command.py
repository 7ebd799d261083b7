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
