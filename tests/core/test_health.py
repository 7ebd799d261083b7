"""/healthz and /readyz: cheap JSON, never cached, honest about what is down."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_reports_database_cache_and_queue(client, post, make_comment):
    from samizdat.notifications.tasks import mail_staff

    mail_staff.enqueue(make_comment(post).pk)
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok"
    assert body["cache"]["status"] == "ok"
    assert body["queue"]["waiting"] >= 1 and body["queue"]["failed_last_hour"] == 0


def test_readyz_with_the_cache_down_is_degraded_not_down(client):
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.set", side_effect=OSError):
        response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["cache"]["status"] == "down"


def test_readyz_without_the_database_is_503(client):
    with mock.patch("samizdat.core.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "down", "error": "OperationalError: gone"}


def test_probes_by_address_over_http_are_answered(client, settings):
    """A load balancer probes 10.0.0.5:8000 over HTTP; the site is essays.example.org on TLS."""
    settings.ALLOWED_HOSTS = ["essays.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200, path
        assert response.json()["status"] == "ok"
    # Everything else still checks the host.
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
