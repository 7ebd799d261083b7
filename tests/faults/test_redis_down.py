"""Redis stopped under a running site: pages are served uncached, comments go through."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

from tests.core.test_commands import SAMIZDAT, free_port, server_env, wait_for  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_with_redis(server_env):  # noqa: F811
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (scripts/test installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="samizdat-redis-")
    redis = subprocess.Popen(
        [binary, "--dir", directory, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    env = dict(server_env, REDIS_URL=f"redis://127.0.0.1:{port}/0",
               SAMIZDAT_COMMENTS_MODERATION="none")  # fmt: skip
    web_port = free_port()
    server = subprocess.Popen(
        [*SAMIZDAT, "demo", "--port", str(web_port), "--workers", "1", "--no-demo-login"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(base + "/", server)
        yield base, redis
    finally:
        server.terminate()
        server.wait(timeout=20)
        if redis.poll() is None:
            redis.terminate()
            redis.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


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


def test_pages_and_comments_survive_redis_stopping(site_with_redis):
    base, redis = site_with_redis
    status, home, _ = get(base + "/")
    essay = base + home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]
    assert get(essay)[0] == 200
    redis.terminate()
    redis.wait(timeout=10)
    time.sleep(0.5)
    for url in (base + "/", essay, base + "/feed/"):
        status, page, headers = get(url)
        assert status == 200, (url, status, page[:300])
        assert headers.get("x-page-cache") != "hit"
    status, page, _ = get(essay)
    post_id = page.split('name="post_id" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode(
        {"post_id": post_id, "body": "Written while Redis was down.", "author_name": "Ann",
         "author_email": "ann@example.org"}
    ).encode()  # fmt: skip
    request = urllib.request.Request(
        base + "/comments/post/", data=form, headers={"Origin": base}, method="POST"
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=20)
        status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 302, status
    status, page, _ = get(essay)
    assert status == 200 and "Written while Redis was down." in page
    status, body, _ = get(base + "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["status"] == "degraded" and ready["cache"]["status"] == "down"


def test_a_redis_restart_with_its_data_does_not_bring_back_stale_pages(server_env):  # noqa: F811
    """Debian's Redis saves on shutdown: the old generation comes back after a restart.
    A comment posted meanwhile must show at once, not after the page's 600 s."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (scripts/test installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="samizdat-redis-")
    command = [binary, "--dir", directory, "--port", str(port), "--bind", "127.0.0.1",
               "--save", "3600 1", "--appendonly", "no"]  # fmt: skip
    redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    env = dict(server_env, REDIS_URL=f"redis://127.0.0.1:{port}/0",
               SAMIZDAT_COMMENTS_MODERATION="none")  # fmt: skip
    web_port = free_port()
    server = subprocess.Popen(
        [*SAMIZDAT, "demo", "--port", str(web_port), "--workers", "1", "--no-demo-login"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(base + "/", server)
        status, home, _ = get(base + "/")
        essay = base + home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]
        get(essay)
        assert get(essay)[2].get("x-page-cache") == "hit"
        redis.terminate()  # SIGTERM: Redis saves its data, the generation with it
        redis.wait(timeout=20)
        status, page, _ = get(essay)
        post_id = page.split('name="post_id" value="', 1)[1].split('"', 1)[0]
        form = urllib.parse.urlencode(
            {"post_id": post_id, "body": "Posted during the restart.", "author_name": "Bo",
             "author_email": "bo@example.org"}
        ).encode()  # fmt: skip
        request = urllib.request.Request(
            base + "/comments/post/", data=form, headers={"Origin": base}, method="POST"
        )
        try:
            urllib.request.build_opener(NoRedirect).open(request, timeout=20)
        except urllib.error.HTTPError as error:
            assert error.code == 302, error.code
        redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # back, with its data
        time.sleep(1.0)
        status, page, headers = get(essay)
        assert status == 200 and "Posted during the restart." in page, headers
    finally:
        server.terminate()
        server.wait(timeout=20)
        redis.terminate()
        redis.wait(timeout=20)
        shutil.rmtree(directory, ignore_errors=True)
