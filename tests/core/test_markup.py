"""What readers and authors write is sanitized after Markdown, whatever they send."""

import re
from html.parser import HTMLParser

import pytest

from samizdat.core import markup
from tests.corpora import corpus_file

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "form",
    "input",
    "svg",
    "math",
    "base",
    "frame",
    "frameset",
    "applet",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "cite", "action"} and value:
                # As a browser reads a URL: tabs and newlines dropped, then a scheme only
                # if it is made of scheme characters (else the URL is relative).
                cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00 \x0c").lower()
                scheme = SCHEME_RE.match(cleaned)
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"{tag}[{name}={value!r}]")


def problems(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def payloads():
    path = corpus_file("xss/payloadbox_xss-payload-list.txt")
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


def test_corpus_is_large():
    assert len(payloads()) > 6000


@pytest.mark.parametrize(
    "render",
    [markup.render_comment_markdown, markup.render_post_markdown, markup.sanitize_post_html],
)
def test_xss_corpus_is_neutralised(render):
    failures = {}
    for payload in payloads():
        found = problems(render(payload))
        if found:
            failures[payload] = found
    assert not failures, list(failures.items())[:5]


def test_markdown_links_get_safe_schemes_and_rel():
    html = markup.render_comment_markdown("[x](javascript:alert(1)) [y](https://example.org)")
    assert 'href="javascript' not in html
    assert 'href="https://example.org" rel="nofollow ugc noopener noreferrer"' in html


def test_comments_cannot_embed_images_or_headings():
    html = markup.render_comment_markdown("# Big\n\n![pic](https://example.org/x.png)")
    assert "<h1" not in html and "<img" not in html


def test_plain_text_and_truncate():
    assert markup.plain_text("<p>A &amp; B</p>\n<p>C</p>") == "A & B C"
    assert markup.truncate_words("one two three", 2) == "one two\u2026"
    assert markup.truncate_words("one two", 2) == "one two"


def test_inspector_catches_what_it_looks_for():
    # Guard against a check that cannot fail: unsanitized payloads are flagged.
    assert problems('<a href=" JaVa\tScript:alert(1)">x</a>')
    assert problems('<img src=x onerror="alert(1)">')
    assert problems("<script>alert(1)</script>")
    assert not problems('<a href="/relative">x</a><a href="https://example.org">y</a>')


class TestCommentLinks:
    """Bare URLs in comments become links, as WordPress's make_clickable makes them."""

    def test_bare_urls_are_links_with_nofollow_ugc(self):
        html = markup.render_comment_markdown(
            "See https://example.org/a_b?x=1. Or www.example.com/path, (www.a.org)."
        )
        assert '<a href="https://example.org/a_b?x=1" rel="nofollow ugc' in html
        assert '<a href="http://www.example.com/path" rel="nofollow ugc' in html
        assert '<a href="http://www.a.org" rel="nofollow ugc' in html
        assert ">https://example.org/a_b?x=1</a>." in html

    def test_file_names_and_bad_schemes_stay_text(self):
        html = markup.render_comment_markdown("Read README.md, not javascript:alert(1) or a@b.org")
        assert "<a" not in html

    def test_linked_text_is_still_sanitized(self):
        html = markup.render_comment_markdown('https://example.org/"><script>alert(1)</script>')
        assert "<script" not in html
        assert 'href="https://example.org/"' in html
