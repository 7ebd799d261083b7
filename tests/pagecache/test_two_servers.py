"""Two server processes share one database and one page cache: every change is seen at once.

Each change is made through a different process than the one that served the page from
the cache (the other server, or a command as a site owner would run it), and the very
next request to either server must show it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.core.test_commands import SAMIZDAT, free_port, server_env, wait_for  # noqa: F401

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(params=["files", "redis"])
def cache_env(request, server_env):  # noqa: F811
    env = dict(server_env, SAMIZDAT_COMMENTS_MODERATION="none")
    if request.param == "files":
        yield env
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is missing (scripts/test installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="samizdat-redis-")
    options = {"--port": str(port), "--bind": "127.0.0.1", "--save": "", "--appendonly": "no"}
    command = [binary, "--dir", directory]
    for name, value in options.items():
        command += [name, value]
    redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    try:
        yield env
    finally:
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def run(env, code: str) -> str:
    result = subprocess.run(
        [*SAMIZDAT, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def two_servers(cache_env):
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=cache_env, check=True, timeout=300)
    run(cache_env, "from samizdat.core.demo import create_demo_site; create_demo_site()")
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [*SAMIZDAT, "serve", "--port", str(port), "--workers", "1"],
                env=cache_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            servers.append((f"http://127.0.0.1:{port}", process))
            # One after the other: each runs collectstatic into the shared data directory.
            wait_for(servers[-1][0] + "/", process)
        yield [base for base, _ in servers], cache_env
    finally:
        for _base, process in servers:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def get(url: str) -> tuple[bool, str]:
    with urllib.request.urlopen(url) as response:
        return response.headers.get("X-Page-Cache") == "hit", response.read().decode()


def test_changes_are_fresh_on_the_next_request_to_any_server(two_servers):
    (a, b), env = two_servers
    home = get(a + "/")[1]
    essay = re.search(r'href="(/\d{4}/\d{2}/\d{2}/i-write-it-myself/)"', home).group(1)
    other = next(
        link
        for link in re.findall(r'class="entry-title"><a href="(/[^"]+/)"', home)
        if link != essay
    )
    for base in (a, b, a, b):
        get(base + essay)
        get(base + other)
        get(base + "/")
    assert get(a + essay)[0] and get(b + essay)[0], "both servers serve the kept page"
    assert get(a + other)[0] and get(b + other)[0] and get(a + "/")[0]

    # 1. A new approved comment, posted to server B.
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = json.loads(opener.open(b + "/identity/me/").read())["csrf_token"]
    post_id = re.search(r'name="post_id" value="(\d+)"', get(b + essay)[1]).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "post_id": post_id,
            "body": "Posted to the other server.",
            "author_name": "Second Server",
            "author_email": "second@example.org",
        }
    ).encode()
    response = opener.open(
        urllib.request.Request(b + "/comments/post/", data=data, headers={"Referer": b + essay})
    )
    assert "#comment-" in response.url
    hit, page = get(a + essay)
    assert not hit and "Posted to the other server." in page
    assert get(a + essay)[0] and get(b + essay)[0]
    # Per entry: another post's kept page stays valid on both servers; the home page,
    # which shows comment counts, and the comments feed follow the change.
    assert get(a + other)[0] and get(b + other)[0], "a comment elsewhere keeps this page"
    hit, page = get(a + "/")
    assert not hit and "6 comments" in page
    assert "Posted to the other server." in get(b + "/comments/feed/")[1]

    # 2. A moderation action, by the site owner's command (a third process).
    run(
        env,
        "from samizdat.discussion.models import Comment; "
        "from samizdat.discussion.services import moderate; "
        "moderate(Comment.objects.filter(body='Posted to the other server.'), 'spam')",
    )
    for base in (a, b):
        hit, page = get(base + essay)
        assert not hit and "Posted to the other server." not in page

    # 2b. A moderator's action on the desk of server A: "Not spam" puts it back.
    run(
        env,
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser('desk', 'desk@example.org', 'desk-pass-123')",
    )
    staff = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login = staff.open(a + "/admin/login/").read().decode()
    staff.open(
        a + "/admin/login/?next=/admin/desk/",
        urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": _token(login),
                "username": "desk",
                "password": "desk-pass-123",
                "next": "/admin/desk/",
            }
        ).encode(),
    )
    desk = staff.open(a + "/admin/desk/?status=spam").read().decode()
    comment_id = re.search(r'data-id="(\d+)"', desk).group(1)
    staff.open(
        a + "/admin/desk/action/",
        urllib.parse.urlencode(
            {"csrfmiddlewaretoken": _token(desk), "action": "not_spam", "ids": comment_id}
        ).encode(),
    )
    for base in (b, a):
        hit, page = get(base + essay)
        assert not hit and "Posted to the other server." in page and "6 comments" in page

    # 3. Editing the post.
    run(
        env,
        "from samizdat.publishing.models import Post; "
        "p = Post.objects.get(slug='i-write-it-myself'); p.title = 'Retitled in place'; p.save()",
    )
    for base in (b, a):
        hit, page = get(base + essay)
        assert not hit and "Retitled in place" in page
    assert "Retitled in place" in get(a + "/")[1]

    # 4. A change to site settings readers see: a way to log in, added by command.
    assert "Log in with GitHub" not in get(a + essay)[1]
    result = subprocess.run(
        [*SAMIZDAT, "providers", "add", "github", "--client-id", "id", "--secret", "s"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for base in (a, b):
        hit, page = get(base + essay)
        assert not hit and "Log in with GitHub" in page


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
