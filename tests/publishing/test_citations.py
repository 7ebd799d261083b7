"""Footnotes that cite a source link to it, and the source links back."""

import pytest
from lxml import html as lxml_html

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.publishing.models import Post, Source


@pytest.mark.django_db
def test_demo_footnotes_link_to_their_sources(client):
    create_demo_site()
    essay = Post.objects.get(slug=ESSAY_SLUG)
    page = lxml_html.fromstring(client.get(essay.get_absolute_url()).content)
    notes = {li.get("id"): li for li in page.xpath("//li[@class='footnote-item']")}
    sources = {li.get("id"): li for li in page.xpath("//li[@class='source']")}
    links = {
        note_id: [a.get("href") for a in li.xpath(".//a[@class='footnote-source']")]
        for note_id, li in notes.items()
    }
    # Notes in order of use: Bukovsky, Carr, Komaromi; sources: Carr, Bukovsky, Komaromi.
    assert links == {"fn1": ["#source-2"], "fn2": ["#source-1"], "fn3": ["#source-3"]}
    back = {
        source_id: [a.get("href") for a in li.xpath(".//span[@class='source-cited-in']/a")]
        for source_id, li in sources.items()
    }
    assert back == {"source-1": ["#fn2"], "source-2": ["#fn1"], "source-3": ["#fn3"]}


@pytest.mark.django_db
def test_footnote_naming_no_source_is_left_alone(client, make_post):
    post = make_post(body="Words.[^a]\n\n[^a]: A remark of my own.\n")
    Source.objects.create(post=post, authors="E. H. Carr", title="The Bolshevik Revolution")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "footnote-source" not in html
    assert "source-cited-in" not in html
