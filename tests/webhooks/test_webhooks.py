"""Webhooks: signed deliveries to a real HTTP server on loopback, retries, refusals, log."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from standardwebhooks import Webhook as Verifier

from samizdat.webhooks import client
from samizdat.webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on loopback that keeps each POST and answers with ``status``."""

    def __init__(self):
        self.requests = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                outer.requests.append((dict(self.headers), self.rfile.read(length)))
                self.send_response(outer.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


def hook(url, events=("comment.posted", "comment.approved", "comment.spam", "comment.deleted")):
    return Webhook.objects.create(url=url, events=list(events))


def test_signed_as_standard_webhooks_says(receiver, post, make_comment, run_tasks, admin_user):
    webhook = hook(receiver.url)
    from samizdat.desk import services as desk

    comment = make_comment(post, status="pending", body="Hello **there**")
    desk.perform("approve", [comment.pk], admin_user)
    run_tasks()
    (headers, body) = receiver.requests[0]
    # The reference implementation verifies the signature (raises if it is wrong).
    payload = Verifier(webhook.secret).verify(body, headers)
    assert payload["type"] == "comment.approved"
    assert payload["data"]["body"] == "Hello **there**"
    assert payload["data"]["entry"]["title"] == post.title
    assert "author_email" not in payload["data"] and "ip_address" not in payload["data"]
    assert Delivery.objects.get().state == "delivered"


def test_only_the_chosen_events(receiver, post, make_comment, run_tasks):
    hook(receiver.url, events=["post.published"])
    make_comment(post)
    run_tasks()
    assert receiver.requests == []


def test_failures_are_retried_then_logged(receiver, post, run_tasks):
    from samizdat.webhooks.services import emit

    hook(receiver.url)
    receiver.status = 500
    emit("comment.deleted", {"id": 1})
    run_tasks()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    receiver.status = 204
    run_tasks(due=True)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["webhook-id"] == receiver.requests[1][0]["webhook-id"]


def test_gives_up_after_six_tries(receiver, run_tasks):
    from samizdat.webhooks.services import emit

    hook(receiver.url)
    receiver.status = 503
    emit("comment.deleted", {"id": 1})
    for _ in range(8):
        run_tasks(due=True)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 6)
    assert "HTTP 503" in delivery.error


def test_private_addresses_refused_at_connect_time(settings, run_tasks, monkeypatch):
    """A name that resolved to a public address when saved, and to loopback now."""
    from samizdat.webhooks.services import emit

    settings.SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE = False
    real = socket.getaddrinfo
    answers = {"rebind.example": "93.184.215.14"}

    def fake(host, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], args[0]))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    client.check_url("https://rebind.example/hook")  # public when saved
    hook("https://rebind.example/hook")
    answers["rebind.example"] = "127.0.0.1"  # DNS rebinding
    emit("comment.deleted", {"id": 1})
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and "private or loopback" in delivery.error


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/"]
)
def test_the_admin_refuses_private_addresses(admin_client, url, settings):
    settings.SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE = False
    response = admin_client.post(
        "/admin/webhooks/webhook/add/",
        {"url": url, "events": ["comment.posted"], "active": "on",
         "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200 and b"private or loopback" in response.content
    assert not Webhook.objects.exists()


def test_a_hanging_endpoint_times_out_and_blocks_nothing(settings, run_tasks, smtp, post):
    settings.SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE = True
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts connections, never answers
    from samizdat.notifications import services
    from samizdat.webhooks.services import emit

    hook(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    emit("comment.deleted", {"id": 1})
    services.subscribe("ann@example.org", post=post, kind="all")  # queues a mail after it
    started = time.monotonic()
    run_tasks()
    elapsed = time.monotonic() - started
    listener.close()
    assert elapsed < 8, elapsed
    assert "TimeoutError" in Delivery.objects.get().error
    assert len(smtp.to("ann@example.org")) == 1


def test_post_published_event(receiver, run_tasks, make_post):
    hook(receiver.url, events=["post.published"])
    post = make_post("Fresh", published_at=timezone.now())
    run_tasks()
    run_tasks()
    (_headers, body) = receiver.requests[0]
    assert json.loads(body)["data"]["title"] == "Fresh"
    assert post.pk == json.loads(body)["data"]["id"]
