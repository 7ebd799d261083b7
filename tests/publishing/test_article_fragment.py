"""A post's own parts of its page (head tags, article, sources, terms, neighbours) are
kept per worker: a comment re-renders only the discussion; every other change they show
renders them again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samizdat.publishing import views
from samizdat.publishing.models import Source, Tag


@pytest.fixture
def renders(monkeypatch, settings):
    """Count the article's renders, with the page cache off (the fragment is the cache)."""
    settings.SAMIZDAT_PAGE_CACHE = False
    counted = []
    real = views._render_article

    def counting(request, post):
        counted.append(post.pk)
        return real(request, post)

    monkeypatch.setattr(views, "_render_article", counting)
    return counted


def page(post, client=None, **extra) -> str:
    return (client or Client()).get(post.get_absolute_url(), **extra).content.decode()


@pytest.mark.django_db
def test_a_comment_renders_only_the_discussion(
    renders, post, make_comment, django_capture_on_commit_callbacks
):
    assert post.title in page(post)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(post, body="A new reply.")
    html = page(post)
    assert "A new reply." in html and post.title in html
    assert renders == [post.pk], "the article was kept across the comment"


@pytest.mark.django_db
def test_an_edit_of_the_post_is_shown(renders, post, django_capture_on_commit_callbacks):
    assert "Body of post" in page(post)
    with django_capture_on_commit_callbacks(execute=True):
        post.body = "Rewritten from the first line."
        post.save()
    html = page(post)
    assert "Rewritten from the first line." in html and "Body of post" not in html
    assert "Rewritten from the first line." in html.split("</head>")[0]  # the description
    assert len(renders) == 2


@pytest.mark.django_db
def test_sources_and_terms_are_shown(renders, post, django_capture_on_commit_callbacks):
    page(post)
    with django_capture_on_commit_callbacks(execute=True):
        Source.objects.create(post=post, authors="E. H. Carr", title="The Bolshevik Revolution")
    assert "The Bolshevik Revolution" in page(post)
    with django_capture_on_commit_callbacks(execute=True):
        post.tags.add(Tag.objects.create(name="revolutions"))
    assert 'rel="tag">revolutions</a>' in page(post)


@pytest.mark.django_db
def test_a_new_neighbour_is_linked(renders, post, make_post, django_capture_on_commit_callbacks):
    assert "Next post" not in page(post)
    with django_capture_on_commit_callbacks(execute=True):
        make_post("The sequel", published_at=timezone.now() - timedelta(minutes=1))
    assert 'rel="next"' in page(post) and "The sequel" in page(post)


@pytest.mark.django_db
def test_settings_and_hosts_are_shown(renders, post, settings):
    assert '<meta property="og:site_name" content="Renamed">' not in page(post)
    settings.SAMIZDAT_SITE_NAME = "Renamed"
    assert '<meta property="og:site_name" content="Renamed">' in page(post)
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    html = page(post, HTTP_HOST="other.example")
    assert f'content="http://other.example{post.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_staff_get_their_edit_link_and_readers_never_do(renders, post, staff):
    editor = Client()
    editor.force_login(staff)
    assert "post-edit-link" in page(post, editor)
    assert "post-edit-link" not in page(post)
    assert "post-edit-link" in page(post, editor)
