"""Rate limits per IP network, email and identity, kept in the ratelimits cache."""

import pytest
from django.core.cache import caches

from samizdat.antispam.ratelimits import Limit, network_of
from samizdat.discussion.models import Comment

URL = "/comments/post/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_flood(settings):
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0


def send(client, comment_data, n, address, email=None):
    return client.post(
        URL,
        comment_data(body=f"Comment number {n}", author_email=email or f"r{n}@example.org"),
        REMOTE_ADDR=address,
    )


def test_networks_and_limits():
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert network_of("not an address") is None
    assert Limit.parse("20/600") == Limit(20, 600)
    assert Limit.parse("off") is None and Limit.parse("") is None and Limit.parse("0/60") is None


def test_per_network(client, post, comment_data, no_flood, settings):
    settings.SAMIZDAT_COMMENTS_RATE_NETWORK = "3/600"
    for n in range(3):
        assert send(client, comment_data, n, f"203.0.113.{n + 1}").status_code == 302
    refused = send(client, comment_data, 9, "203.0.113.200")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Too many comments from your address" in html and "Comment number 9" in html
    # Another network is not affected.
    assert send(client, comment_data, 10, "198.51.100.1").status_code == 302
    assert Comment.objects.count() == 4


def test_per_email(client, post, comment_data, no_flood, settings):
    settings.SAMIZDAT_COMMENTS_RATE_AUTHOR = "2/600"
    for n in range(2):
        assert send(client, comment_data, n, f"192.0.2.{n}", "Same@Example.org").status_code == 302
    assert send(client, comment_data, 5, "198.51.100.9", "same@example.org").status_code == 400


def test_off(client, post, comment_data, no_flood, settings):
    settings.SAMIZDAT_COMMENTS_RATE_NETWORK = "off"
    settings.SAMIZDAT_COMMENTS_RATE_AUTHOR = "off"
    for n in range(25):
        assert send(client, comment_data, n, "203.0.113.5").status_code == 302


def test_a_broken_cache_lets_comments_through(client, post, comment_data, no_flood, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["ratelimits"], "incr", broken)
    assert send(client, comment_data, 1, "203.0.113.5").status_code == 302
