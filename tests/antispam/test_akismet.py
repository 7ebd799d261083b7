"""Akismet, optional, against a loopback fake of its HTTP API (never the real service)."""

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from samizdat.antispam import akismet
from samizdat.discussion.models import Comment, CommentStatus

URL = "/comments/post/"

pytestmark = pytest.mark.django_db(transaction=True)


class FakeAkismet(BaseHTTPRequestHandler):
    """comment-check says spam for "buy now", blatant spam ("discard") for "casino"."""

    calls: list = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        data = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        endpoint = self.path.rsplit("/", 1)[-1]
        FakeAkismet.calls.append((endpoint, data))
        headers = {}
        if endpoint == "comment-check":
            text = data.get("comment_content", "").lower()
            body = "true" if "buy now" in text or "casino" in text else "false"
            if "casino" in text:
                headers["X-akismet-pro-tip"] = "discard"
        elif endpoint == "verify-key":
            body = "valid"
        else:
            body = "Thanks for making the web a better place."
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_akismet(settings):
    FakeAkismet.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SAMIZDAT_AKISMET_KEY = "test-key"
    settings.SAMIZDAT_AKISMET_SITE_URL = "https://essays.example.org/"
    settings.SAMIZDAT_AKISMET_TEST_URL = f"http://127.0.0.1:{server.server_port}"
    akismet._client.cache_clear()
    yield FakeAkismet.calls
    server.shutdown()
    akismet._client.cache_clear()


@pytest.fixture
def known_author(post, make_comment):
    return make_comment(post, author_name="Guest Reader", author_email="guest@example.org")


def posted(client, data):
    assert client.post(URL, data).status_code == 302
    return Comment.objects.order_by("-pk").first()


def test_off_without_a_key(client, post, comment_data, known_author, settings):
    settings.SAMIZDAT_AKISMET_KEY = ""
    comment = posted(client, comment_data(body="buy now"))
    assert comment.status == CommentStatus.APPROVED


def test_verdicts(client, post, comment_data, known_author, fake_akismet, settings):
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0
    fine = posted(client, comment_data(body="A fair point."))
    held = posted(client, comment_data(body="Buy now, friends"))
    blatant = posted(client, comment_data(body="Casino! Casino!"))
    assert fine.status == CommentStatus.APPROVED and fine.moderation_reasons == []
    assert held.status == CommentStatus.PENDING
    assert held.moderation_reasons == ["held: Akismet says spam"]
    assert blatant.status == CommentStatus.SPAM
    assert blatant.moderation_reasons == ["spam: Akismet says blatant spam"]
    checks = [data for endpoint, data in fake_akismet if endpoint == "comment-check"]
    assert len(checks) == 3
    assert checks[0]["blog"] == "https://essays.example.org/"
    assert checks[0]["comment_author_email"] == "guest@example.org"
    assert checks[0]["user_ip"] == "127.0.0.1"


def test_akismet_down_lets_the_other_checks_decide(
    client, post, comment_data, known_author, settings
):
    settings.SAMIZDAT_AKISMET_KEY = "test-key"
    settings.SAMIZDAT_AKISMET_TEST_URL = "http://127.0.0.1:9"  # nothing listens there
    akismet._client.cache_clear()
    try:
        comment = posted(client, comment_data(body="Buy now"))
    finally:
        akismet._client.cache_clear()
    assert comment.status == CommentStatus.APPROVED


def test_desk_spam_and_not_spam_are_reported(staff, post, make_comment, fake_akismet):
    comment = make_comment(post, body="Sneaky", ip_address="203.0.113.4")
    desk = Client()
    desk.force_login(staff)
    desk.post("/admin/desk/action/", {"action": "spam", "ids": [comment.pk]})
    desk.post("/admin/desk/action/", {"action": "not_spam", "ids": [comment.pk]})
    desk.post("/admin/desk/action/", {"action": "trash", "ids": [comment.pk]})
    reports = [(endpoint, data["user_ip"]) for endpoint, data in fake_akismet]
    assert reports == [("submit-spam", "203.0.113.4"), ("submit-ham", "203.0.113.4")]
