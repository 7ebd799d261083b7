"""Redis stopped, or restarted with its data, under a running site."""

import json
import time
import urllib.parse
import urllib.request

import pytest

from tests.core.test_commands import server_env  # noqa: F401
from tests.faults.servers import redis_server, serving

pytestmark = pytest.mark.django_db(transaction=True)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status, response.read().decode(), headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), {k.lower(): v for k, v in error.headers.items()}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def essay_of(base: str) -> str:
    _status, home, _ = get(base + "/")
    return base + home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]


def post_comment(base: str, essay: str, text: str) -> int:
    _status, page, _ = get(essay)
    post_id = page.split('name="post_id" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode(
        {"post_id": post_id, "body": text, "author_name": "Ann", "author_email": "ann@example.org"}
    ).encode()
    request = urllib.request.Request(
        base + "/comments/post/", data=form, headers={"Origin": base}, method="POST"
    )
    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=20).status
    except urllib.error.HTTPError as error:
        return error.code


def test_pages_and_comments_survive_redis_stopping(server_env):  # noqa: F811
    with redis_server() as (url, _restart, stop):
        env = dict(server_env, REDIS_URL=url, SAMIZDAT_COMMENTS_MODERATION="none")
        with serving(env, "--no-demo-login", command="demo") as (base, _server):
            essay = essay_of(base)
            assert get(essay)[0] == 200
            stop()
            time.sleep(0.5)
            for address in (base + "/", essay, base + "/feed/"):
                status, page, headers = get(address)
                assert status == 200, (address, status, page[:300])
                assert headers.get("x-page-cache") != "hit"
            assert post_comment(base, essay, "Written while Redis was down.") == 302
            status, page, _ = get(essay)
            assert status == 200 and "Written while Redis was down." in page
            status, body, _ = get(base + "/readyz")
            ready = json.loads(body)
            assert status == 200 and ready["status"] == "degraded"
            assert ready["cache"]["status"] == "down"


def test_a_redis_restart_with_its_data_does_not_bring_back_stale_pages(server_env):  # noqa: F811
    """Debian's Redis saves on shutdown: the old generation comes back after a restart.
    A comment posted meanwhile must show at once, not after the page's 600 s."""
    with redis_server(save=True) as (url, restart, stop):
        env = dict(server_env, REDIS_URL=url, SAMIZDAT_COMMENTS_MODERATION="none")
        with serving(env, "--no-demo-login", command="demo") as (base, _server):
            essay = essay_of(base)
            get(essay)
            assert get(essay)[2].get("x-page-cache") == "hit"
            stop()  # SIGTERM: Redis saves its data, the generation with it
            assert post_comment(base, essay, "Posted during the restart.") == 302
            restart()  # back, with the old generation
            time.sleep(1.0)
            status, page, headers = get(essay)
            assert status == 200 and "Posted during the restart." in page, headers
