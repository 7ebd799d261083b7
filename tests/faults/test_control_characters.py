"""Control characters in stored text never take feeds or the export down."""

import io

import pytest
from django.core.management import call_command
from lxml import etree

from samizdat.discussion.models import Comment

pytestmark = pytest.mark.django_db

CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"]
FIELDS = ["body", "author_name", "author_email", "author_url"]


def strict(xml: bytes):
    return etree.fromstring(xml, etree.XMLParser(recover=False, resolve_entities=False))


@pytest.mark.parametrize("field", FIELDS)
def test_form_input_is_stripped(client, comment_data, field, settings):
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0
    settings.SAMIZDAT_COMMENTS_RATE_NETWORK = "off"
    settings.SAMIZDAT_COMMENTS_RATE_AUTHOR = "off"
    for n, char in enumerate(CONTROLS):
        if char == "\x00":
            continue  # refused with a 400 before the form (tests/faults/test_nul_bytes.py)
        data = comment_data(body=f"Comment {n} {field}.", author_email=f"r{n}@example.org")
        value = {"author_url": f"https://example.org/{n}", "author_email": f"r{n}@example.org"}
        data[field] = (value.get(field) or data[field]).replace("e", f"e{char}", 1)
        response = client.post("/comments/post/", data, REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert response.status_code in (302, 400), (n, response.status_code)
    for comment in Comment.objects.all():
        for name in FIELDS:
            assert not any(c in getattr(comment, name) for c in CONTROLS), (name, comment.pk)


def test_rows_stored_before_still_give_strict_feeds_and_export(
    client, post, make_comment, tmp_path
):
    from django.db import connection

    # PostgreSQL cannot store NUL at all, so no older row there holds one.
    stored = [c for c in CONTROLS if c != "\x00" or connection.vendor != "postgresql"]
    for n, char in enumerate(stored):
        comment = make_comment(post, body=f"ok {n}")
        # A row written before input was cleaned: straight into the table.
        Comment.objects.filter(pk=comment.pk).update(
            body=f"a{char}b", author_name=f"N{char}", body_html=f"<p>a{char}b</p>"
        )
    for url in ("/comments/feed/", post.get_absolute_url() + "feed/",
                post.get_absolute_url() + "feed/atom/", "/feed/", "/feed/atom/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        strict(response.content)
    exported = tmp_path / "site.xml"
    call_command("export_wxr", "--output", str(exported), stdout=io.StringIO())
    strict(exported.read_bytes())
    # And the export comes back in.
    from samizdat.interchange.importers import import_wxr

    report = import_wxr(exported)
    assert not report.notes or all("error" not in n.lower() for n in report.notes)
