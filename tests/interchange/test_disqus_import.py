"""Importing Disqus exports: threads matched to posts by link, statuses and replies kept."""

import io
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from lxml import etree

from samizdat.discussion.models import Comment
from samizdat.interchange.models import LegacyURL
from samizdat.publishing.models import Post
from tests.corpora import corpus_file

DSQ = "{http://disqus.com/disqus-internals}id"


def parse(path, recover=False):
    raw = path.read_bytes()
    if recover:
        raw = raw[raw.find(b"<") :]
    return etree.fromstring(
        raw, etree.XMLParser(recover=recover, resolve_entities=False, no_network=True)
    )


def local(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child(element, name):
    return next((c for c in element if local(c) == name), None)


def give_every_thread_a_post(root, make_post):
    """Make a post for each linked thread, reachable at the thread's old path."""
    mapped = set()
    for thread in root:
        link = child(thread, "link") if local(thread) == "thread" else None
        if link is None or not (link.text or "").strip():
            continue
        post = make_post(f"Thread {thread.get(DSQ)}")
        LegacyURL.objects.get_or_create(
            path=urlsplit(link.text.strip()).path,
            defaults={
                "content_type": ContentType.objects.get_for_model(Post),
                "object_id": post.pk,
            },
        )
        mapped.add(thread.get(DSQ))
    return mapped


def expected(root, mapped):
    statuses, replies = Counter(), 0
    for post in root:
        if local(post) != "post":
            continue
        thread = child(post, "thread")
        if thread is None or thread.get(DSQ) not in mapped:
            continue
        deleted = (child(post, "isDeleted").text or "").strip() == "true"
        spam = (child(post, "isSpam").text or "").strip() == "true"
        statuses["trash" if deleted else "spam" if spam else "approved"] += 1
        replies += child(post, "parent") is not None
    return statuses, replies


@pytest.mark.django_db
def test_isso_disqus_export(make_post):
    path = corpus_file("disqus/isso_disqus.xml")
    root = parse(path)
    mapped = give_every_thread_a_post(root, make_post)
    out = io.StringIO()
    call_command("import_disqus", str(path), stdout=out)
    statuses, replies = expected(root, mapped)
    assert Counter(Comment.objects.values_list("status", flat=True)) == statuses
    assert Comment.objects.filter(parent__isnull=False).count() == replies
    assert sum(statuses.values()) > 0
    # Importing again changes nothing.
    call_command("import_disqus", str(path), stdout=io.StringIO())
    assert Counter(Comment.objects.values_list("status", flat=True)) == statuses


@pytest.mark.django_db
def test_threads_without_posts_are_reported():
    out = io.StringIO()
    call_command("import_disqus", str(corpus_file("disqus/isso_disqus.xml")), stdout=out)
    assert "no post at its link" in out.getvalue()
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_remark42_export_needs_recover(make_post):
    path = corpus_file("disqus/remark42_disqus.xml")
    with pytest.raises(CommandError, match=r"line 1, column 1"):
        call_command("import_disqus", str(path), stdout=io.StringIO())
    root = parse(path, recover=True)
    mapped = give_every_thread_a_post(root, make_post)
    out = io.StringIO()
    call_command("import_disqus", str(path), "--recover", stdout=out)
    statuses, _replies = expected(root, mapped)
    assert sum(statuses.values()) > 0
    assert Counter(Comment.objects.values_list("status", flat=True)) == statuses
    assert "unreadable XML" in out.getvalue()
