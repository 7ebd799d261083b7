"""Sources as data: CSL styles, keyed citations, BibTeX and RIS in and out, downloads."""

import json

import pytest

from samizdat.publishing import bibliography
from samizdat.publishing.models import Source

pytestmark = pytest.mark.django_db

CARR = {
    "key": "carr1950", "kind": "book", "authors": "E. H. Carr",
    "title": "The Bolshevik Revolution 1917-1923, Volume One", "publisher": "Macmillan",
    "place": "London", "year": "1950", "pages": "129-135",
}  # fmt: skip

BIBTEX = """@book{carr1950,
  author = {Carr, E. H.},
  title = {The Bolshevik Revolution 1917-1923, Volume One},
  publisher = {Macmillan},
  address = {London},
  year = {1950}
}
@article{pipes1964,
  author = {Pipes, Richard and Ulam, Adam},
  title = {The Soviet Revolution},
  journal = {Survey},
  year = {1964},
  pages = {10--25},
  doi = {10.1000/xyz}
}"""

RIS = """TY  - JOUR
AU  - Fitzpatrick, Sheila
TI  - The Russian Revolution
T2  - Slavic Review
PY  - 1982
SP  - 1
EP  - 20
ER  -
"""


@pytest.mark.parametrize(
    ("style", "entry", "cite"),
    [
        ("chicago-author-date", "Carr, E. H. 1950. <i>The Bolshevik", "(Carr 1950, 129\u2013135)"),
        ("apa", "Carr, E. H. (1950). <i>The Bolshevik", "(Carr, 1950, pp. 129\u2013135)"),
        ("modern-language-association", "Carr, E. H. <i>The Bolshevik", "129\u2013135)"),
    ],
)
def test_styles(settings, style, entry, cite):
    settings.SAMIZDAT_CITATION_STYLE = style
    source = Source(**CARR)
    assert str(source.citation()).startswith(entry)
    assert bibliography.in_text([source], "carr1950", "pp. 129-135").endswith(cite)


def test_keyed_citation_on_the_page_links_to_its_source(make_post, client):
    post = make_post(body="As Carr shows [@carr1950, pp. 129-135], and [@nobody] too.")
    Source.objects.create(post=post, position=1, **CARR)
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<a class="citation" href="#source-1">(Carr 1950, 129\u2013135)</a>' in page
    assert "[@nobody] too." in page, "an unknown key stays as typed"
    assert '<li class="source" id="source-1">' in page
    assert "Carr, E. H. 1950. <i>The Bolshevik Revolution" in page


def test_bibtex_and_ris_fill_the_rows():
    carr, pipes = bibliography.parse(BIBTEX)
    assert carr["key"] == "carr1950" and carr["kind"] == "book" and carr["place"] == "London"
    assert pipes["authors"] == "Pipes, Richard; Ulam, Adam"
    assert (pipes["kind"], pipes["container"], pipes["pages"], pipes["doi"]) == (
        "article-journal", "Survey", "10-25", "10.1000/xyz"
    )  # fmt: skip
    (fitz,) = bibliography.parse(RIS)
    assert (fitz["authors"], fitz["title"], fitz["pages"], fitz["kind"]) == (
        "Fitzpatrick, Sheila", "The Russian Revolution", "1-20", "article-journal"
    )  # fmt: skip


@pytest.mark.parametrize("text", ["@book{broken, title = {no end", "just words", ""])
def test_bad_bibtex_is_an_error(text):
    with pytest.raises(bibliography.ParseError):
        bibliography.parse(text)


def test_round_trip_through_bibtex():
    source = Source(**CARR)
    (again,) = bibliography.parse(bibliography.to_bibtex([source]))
    assert again["title"] == CARR["title"] and again["year"] == "1950"


def test_missing_keys():
    assert bibliography.missing_keys("[@carr1950] [@ghost, p. 3]", [Source(**CARR)]) == ["ghost"]


def test_downloads(make_post, client):
    post = make_post()
    Source.objects.create(post=post, position=1, **CARR)
    csl = client.get(post.get_absolute_url() + "sources.json")
    assert csl.status_code == 200 and csl["Content-Type"].startswith(
        "application/vnd.citationstyles"
    )
    (item,) = json.loads(csl.content)
    assert item["id"] == "carr1950" and item["author"] == [{"family": "Carr", "given": "E. H."}]
    assert item["issued"] == {"date-parts": [[1950]]}
    bib = client.get(post.get_absolute_url() + "sources.bib")
    assert bib.status_code == 200 and bib.content.decode().startswith("@book{carr1950,")
