"""Link an essay's footnotes to the sources they cite, and each source back to its notes.

A footnote cites a source when its text names the source's title or its first author's
surname ("Carr's account..." cites "E. H. Carr, The Bolshevik Revolution"). Runs when a
post page is rendered (not on save): sources are edited apart from the post's text, and
the page cache keeps the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from samizdat.core.markup import plain_text, sanitize_post_html

# The footnote items markdown-it's footnote plugin writes, as nh3 leaves them.
_FOOTNOTE_RE = re.compile(r'(<li id="fn(\d+)" class="footnote-item">)(.*?)(</li>)', re.DOTALL)
_BACKREF_RE = re.compile(r'(\s*<a href="#fnref\d+(?::\d+)?" class="footnote-backref")')


@dataclass
class CitedSource:
    """A source as the Sources list shows it, with the notes that cite it."""

    source: object
    number: int
    notes: list[int] = field(default_factory=list)


def _surname(authors: str) -> str:
    first = re.split(r",|;|\band\b|&", authors)[0].strip()
    return first.split()[-1] if first else ""


def _cites(text: str, source) -> bool:
    text = text.casefold()
    title = source.title.strip().casefold()
    if title and title in text:
        return True
    surname = _surname(source.authors).casefold()
    return len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", text) is not None


def cite_keys(body_html: str, cited: list[CitedSource]) -> str:
    """Turn each [@key, locator] into the style's in-text citation, linked to its source.

    A key no source has stays as it was typed (the editor warns of it).
    """
    from samizdat.publishing import bibliography

    if "[@" not in body_html:
        return body_html
    sources = [entry.source for entry in cited]
    numbers = {entry.source.key: entry.number for entry in cited if entry.source.key}

    def replace(match: re.Match) -> str:
        key, locator = match.group(1), match.group(2) or ""
        text = bibliography.in_text(sources, key, html.unescape(locator))
        if text is None:
            return match.group(0)
        # citeproc-py escapes what it writes; nh3 keeps only its <i> and the like.
        return format_html(
            '<a class="citation" href="#source-{}">{}</a>',
            numbers[key],
            mark_safe(sanitize_post_html(text)),  # noqa: S308
        )

    return bibliography.CITATION_RE.sub(replace, body_html)


def link_sources(body_html: str, sources: list) -> tuple[SafeString, list[CitedSource]]:
    """Return the body with citations and citing footnotes linked to their sources."""
    cited = [CitedSource(source, number) for number, source in enumerate(sources, 1)]
    body_html = cite_keys(body_html, cited)
    if not cited or 'class="footnote-item"' not in body_html:
        return mark_safe(body_html), cited  # noqa: S308 -- sanitized when saved

    def link(match: re.Match) -> str:
        start, note, inner, end = match.groups()
        text = plain_text(inner)
        links = []
        for entry in cited:
            if _cites(text, entry.source):
                entry.notes.append(int(note))
                links.append(
                    format_html(
                        ' <a class="footnote-source" href="#source-{}">[source {}]</a>',
                        entry.number,
                        entry.number,
                    )
                )
        if not links:
            return match.group(0)
        added = "".join(links)
        if _BACKREF_RE.search(inner):
            inner = _BACKREF_RE.sub(lambda m: added + m.group(1), inner, count=1)
        else:
            inner += added
        return start + inner + end

    # body_html was sanitized by nh3 when it was saved; the links added are format_html's.
    return mark_safe(_FOOTNOTE_RE.sub(link, body_html)), cited  # noqa: S308
