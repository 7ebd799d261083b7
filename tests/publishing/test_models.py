"""Posts, pages and sources: rendering on save and the citation style."""

import pytest

from samizdat.publishing.models import BodyFormat, Page, Post, Source


@pytest.mark.django_db
class TestRendering:
    def test_markdown_rendered_on_save_with_footnotes(self, make_post):
        post = make_post(body="Claim.[^1]\n\n[^1]: Evidence.")
        assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1"' in post.body_html
        assert '<li id="fn1" class="footnote-item">' in post.body_html

    def test_raw_html_is_sanitized(self, make_post):
        post = make_post(body='Hi <script>alert(1)</script><img src=x onerror="alert(1)">')
        assert "<script" not in post.body_html
        assert "onerror" not in post.body_html

    def test_html_body_format_is_sanitized(self, make_post):
        post = make_post(body='<p onclick="x()">Hi</p>', body_format=BodyFormat.HTML)
        assert post.body_html == "<p>Hi</p>"

    def test_excerpt_from_body_without_footnotes(self, make_post):
        words = " ".join(f"w{i}" for i in range(80))
        post = make_post(body=f"{words}[^1]\n\n[^1]: Hidden note.")
        assert post.excerpt_html.startswith("<p>w0 w1")
        assert "w55" not in post.excerpt_html and "\u2026" in post.excerpt_html
        assert "Hidden note" not in post.excerpt_html

    def test_explicit_excerpt(self, make_post):
        post = make_post(excerpt="A *short* summary.")
        assert post.excerpt_html == "<p>A <em>short</em> summary.</p>\n"

    def test_update_fields_stores_rendered_html(self, make_post):
        post = make_post(body="Old")
        post.body = "New **text**"
        post.save(update_fields=["body"])
        fresh = Post.objects.get(pk=post.pk)
        assert "<strong>text</strong>" in fresh.body_html
        assert "New text" in fresh.excerpt_html

    def test_slug_from_title(self, make_post):
        assert make_post("Что делать?").slug == "что-делать"

    def test_permalink_is_wordpress_shaped(self, make_post):
        import datetime

        post = make_post(
            slug="essay", published_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)
        )
        assert post.get_absolute_url() == "/2024/03/05/essay/"

    def test_nested_page_path(self, db):
        parent = Page.objects.create(title="About")
        child = Page.objects.create(title="The Team", parent=parent)
        assert child.get_absolute_url() == "/about/the-team/"


class TestCitation:
    def cite(self, **fields):
        return str(Source(**fields).plain_citation())

    def test_full_citation(self):
        assert self.cite(
            authors="E. H. Carr",
            title="The Bolshevik Revolution 1917-1923, Volume One",
            publisher="MacMillan",
            year="1950",
            pages="129-135",
        ) == (
            "E. H. Carr, <cite>The Bolshevik Revolution 1917-1923, Volume One</cite> "
            "(MacMillan, 1950), pp. 129\u2013135."
        )

    def test_minimal_citation_and_single_page(self):
        assert self.cite(title="Notes", pages="7") == "<cite>Notes</cite>, p. 7."

    def test_url_and_escaping(self):
        html = self.cite(title="<b>T</b>", url="https://example.org/?a=1&b=2")
        assert '<a href="https://example.org/?a=1&amp;b=2" rel="noopener">&lt;b&gt;T' in html
