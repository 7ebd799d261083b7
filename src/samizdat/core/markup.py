"""Turn what authors and readers write into safe HTML, once, when it is saved.

Markdown goes through markdown-it-py (CommonMark, plus footnotes for essays),
and the HTML it produces always goes through nh3 afterwards: Markdown lets raw
HTML through, so sanitizing must come last. Nothing here runs at read time.
"""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

URL_SCHEMES = {"http", "https", "mailto"}

# Essays: nh3's defaults plus what footnotes and figures need.
POST_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption"}
POST_ATTRIBUTES = {key: set(value) for key, value in nh3.ALLOWED_ATTRIBUTES.items()}
POST_ATTRIBUTES["a"] = POST_ATTRIBUTES.get("a", set()) | {"title", "id"}
POST_ATTRIBUTES["img"] = POST_ATTRIBUTES.get("img", set()) | {"title", "loading"}
POST_ATTRIBUTES["li"] = {"id"}
POST_ATTRIBUTES["th"] = POST_ATTRIBUTES.get("th", set()) | {"style"}
POST_ATTRIBUTES["td"] = POST_ATTRIBUTES.get("td", set()) | {"style"}
POST_CLASSES = {
    "sup": {"footnote-ref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "a": {"footnote-backref"},
}

# Comments: what WordPress allows in comments, minus anything that can style,
# position or embed. Links get rel="nofollow ugc" so spam earns no rank.
COMMENT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i",
    "li", "ol", "p", "pre", "q", "s", "strike", "strong", "sub", "sup", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "blockquote": {"cite"}}


@cache
def _post_markdown() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"typographer": True})
        .enable(["table", "strikethrough", "replacements", "smartquotes"])
        .use(footnote_plugin)
    )


# What follows "www." in a bare link: a host, then a path that does not end in punctuation.
_WWW_LINK_RE = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]'])?",
    re.IGNORECASE,
)


def _www_link(_linkify, match) -> None:
    match.url = "http://" + match.url


@cache
def _comment_markdown() -> MarkdownIt:
    """Comments: CommonMark, strikethrough, and bare URLs made links.

    Links are made as WordPress's make_clickable makes them: a URL with a scheme, or
    starting with "www.". Bare names such as "README.md" stay text (linkify-it's fuzzy
    matching would link every ".md" and ".py"). The sanitizer then gives every link
    rel="nofollow ugc".
    """
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["strikethrough", "linkify"])
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.linkify.add("www.", {"validate": _WWW_LINK_RE, "normalize": _www_link})
    return md


URL_ATTRIBUTES = {"href", "src", "cite", "srcset", "longdesc", "action"}
# Control characters, whitespace and line or paragraph separators a browser skips
# before a URL's scheme (U+2028 then "javascript:" is still javascript:).
_URL_PREFIX_JUNK = re.compile(
    r"^[\x00-\x20\x7f-\xa0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def _url_filter(_element: str, attribute: str, value: str) -> str | None:
    """Every URL attribute (cite too, which nh3 leaves alone) passes the scheme list,
    after what a browser would skip before the scheme is taken off."""
    if attribute not in URL_ATTRIBUTES:
        return value
    value = _URL_PREFIX_JUNK.sub("", value)
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return None
    return value


def sanitize_post_html(source: str) -> str:
    """Sanitize HTML written by a site author."""
    return nh3.clean(
        source,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        allowed_classes=POST_CLASSES,
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_url_filter,
    )


def sanitize_comment_html(source: str) -> str:
    """Sanitize HTML written by a reader."""
    return nh3.clean(
        source,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        attribute_filter=_url_filter,
    )


def render_post_markdown(source: str) -> str:
    """Render an essay's Markdown (CommonMark and footnotes) to sanitized HTML."""
    return sanitize_post_html(_post_markdown().render(source))


def render_comment_markdown(source: str) -> str:
    """Render a comment's Markdown to sanitized HTML."""
    return sanitize_comment_html(_comment_markdown().render(source))


_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    """Return the text of an HTML fragment, whitespace collapsed."""
    text = nh3.clean(fragment, tags=set())
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", text))).strip()


def truncate_words(text: str, count: int) -> str:
    """Cut text to at most ``count`` words, marking the cut with an ellipsis."""
    words = text.split()
    if len(words) <= count:
        return text
    return " ".join(words[:count]).rstrip(",;:.") + "\u2026"


# C0 control characters (and DEL) other than tab, newline and carriage return: XML 1.0
# cannot carry them, so a feed or an export with one in it would fail to be written.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Remove the control characters XML cannot carry (tab, newline, CR stay)."""
    return _CONTROLS.sub("", text) if text else text
