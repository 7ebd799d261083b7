"""Addresses reversed once per process are the addresses reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from samizdat.core.reversing import reverse_once


@pytest.mark.django_db
def test_the_same_as_reverse_under_any_script_prefix(post):
    kwargs = post.permalink_kwargs()
    try:
        for prefix in ("/", "/blog/", "/"):
            set_script_prefix(prefix)
            assert post.get_absolute_url() == reverse("publishing:post", kwargs=kwargs)
            assert post.get_absolute_url().startswith(prefix)
            assert reverse_once("publishing:feed") == reverse("publishing:feed")
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
def test_a_changed_slug_is_a_new_address(post):
    before = post.get_absolute_url()
    post.slug = "renamed"
    assert post.get_absolute_url() != before and post.get_absolute_url().endswith("/renamed/")


def test_a_site_served_under_a_path_links_there(client, db, make_post):
    """As the WSGI handler sets the prefix from SCRIPT_NAME (the test client does not)."""
    post = make_post("Under a path")
    path = post.get_absolute_url()
    assert 'href="/feed/"' in client.get(path).content.decode()  # remembered at "/"
    set_script_prefix("/blog/")
    try:
        html = client.get(path).content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/blog/feed/"' in html and f'href="/blog{path}feed/"' in html
    assert f'<link rel="canonical" href="/blog{path}">' in html  # the kept article too
    assert 'href="/feed/"' not in html
