"""The samizdat command: Django's commands, the demo site, and serve under granian."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from samizdat.core.demo import ESSAY_SLUG, create_demo_site, demo_admin_login
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Page, Post

SAMIZDAT = [sys.executable, "-m", "samizdat"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
class TestDemoSite:
    def test_demo_content(self):
        assert create_demo_site() is True
        essay = Post.objects.get(slug=ESSAY_SLUG)
        assert essay.sources.count() == 3
        assert essay.sources.first().authors == "E. H. Carr"
        comments = Comment.objects.filter(post=essay)
        assert comments.filter(status=CommentStatus.PENDING).count() == 1
        assert max(c.depth for c in comments) == 3
        assert len({c.author_name for c in comments}) >= 4
        assert essay.comment_count == comments.filter(status=CommentStatus.APPROVED).count()
        assert Post.objects.filter(comments_open=False).count() == 1
        assert Page.objects.filter(slug="about").exists()
        username, password = demo_admin_login()
        assert username == "admin" and password

    def test_demo_fills_only_an_empty_database(self, make_post):
        make_post()
        assert create_demo_site() is False
        assert not Post.objects.filter(slug=ESSAY_SLUG).exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server_env(tmp_path):
    """Environment for a samizdat process with a database of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        SAMIZDAT_DATA_DIR=str(tmp_path),
        SECRET_KEY="s" * 50,
        SAMIZDAT_COMMENTS_FLOOD_SECONDS="0",
        SAMIZDAT_COMMENTS_RATE_NETWORK="off",
        SAMIZDAT_COMMENTS_RATE_AUTHOR="off",
        SAMIZDAT_COMMENTS_MODERATION="none",
    )
    url = os.environ.get("DATABASE_URL")
    if not url:
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"samizdat_serve_{os.getpid()}_{free_port()}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    yield env
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_samizdat_runs_django_commands(server_env):
    result = subprocess.run(
        [*SAMIZDAT, "check", "--deploy", "--fail-level", "ERROR"],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [*SAMIZDAT, "migrate", "--plan"],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "discussion.0001_initial" in result.stdout


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stdout.read()}")
        try:
            return urllib.request.urlopen(url, timeout=5)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout}s")


@pytest.fixture
def demo_server(server_env):
    port = free_port()
    process = subprocess.Popen(
        [*SAMIZDAT, "demo", "--port", str(port), "--workers", "2"],
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_demo_serves_with_granian_and_whitenoise(demo_server):
    base, _process = demo_server
    home = urllib.request.urlopen(base + "/").read().decode()
    assert "I Write It Myself" in home
    css = re.search(r'href="(/static/samizdat/site\.[0-9a-f]+\.css)"', home)
    assert css, "static files are collected with hashed names"
    response = urllib.request.urlopen(base + css.group(1))
    assert "max-age=315360000" in response.headers["Cache-Control"]
    essay = re.search(r'href="(/\d{4}/\d{2}/\d{2}/i-write-it-myself/)"', home).group(1)
    page = urllib.request.urlopen(base + essay).read().decode()
    assert "Sources" in page and "Leave a Reply" in page and "5 comments" in page


def test_idle_keep_alive_connections_do_not_block_others(demo_server):
    """A browser keeps several connections open; a new request must still be answered."""
    import http.client

    base, _process = demo_server
    host, port = base.removeprefix("http://").split(":")
    idle = []
    for _ in range(6):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/static/samizdat/icon.svg")
        connection.getresponse().read()
        idle.append(connection)  # kept open, idle, as a browser does
    try:
        fresh = http.client.HTTPConnection(host, int(port), timeout=5)
        fresh.request("GET", "/")
        assert fresh.getresponse().status == 200
        fresh.close()
    finally:
        for connection in idle:
            connection.close()


def test_concurrent_comments_are_all_kept(demo_server, server_env):
    """Several clients post at once to two workers; every acknowledged comment is stored."""
    base, process = demo_server
    home = urllib.request.urlopen(base + "/").read().decode()
    essay = re.search(r'href="(/\d{4}/\d{2}/\d{2}/i-write-it-myself/)"', home).group(1)
    acknowledged, errors = [], []

    def client(n):
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + essay).read().decode()
        # The page is shared (page cache): the token comes as the form's script gets it.
        me = json.loads(opener.open(base + "/identity/me/").read())
        token = me["csrf_token"]
        post_id = re.search(r'name="post_id" value="(\d+)"', page).group(1)
        for i in range(8):
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "post_id": post_id,
                    "body": f"Concurrent comment {n}-{i}",
                    "author_name": f"Client {n}",
                    "author_email": f"client{n}@example.org",
                }
            ).encode()
            request = urllib.request.Request(
                base + "/comments/post/", data=data, headers={"Referer": base + essay}
            )
            try:
                response = opener.open(request)
                if "#comment-" in response.url:
                    acknowledged.append(f"Concurrent comment {n}-{i}")
                else:
                    errors.append(response.url)
            except urllib.error.HTTPError as exc:
                errors.append(f"{exc.code}: {exc.read()[:300]!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        process.terminate()
        raise AssertionError(f"{errors[:3]}\n{process.communicate(timeout=20)[0][-3000:]}")
    assert len(acknowledged) == 48
    count = subprocess.run(
        [
            *SAMIZDAT,
            "shell",
            "-c",
            "from samizdat.discussion.models import Comment; "
            "print(Comment.objects.filter(body__startswith='Concurrent comment').count())",
        ],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert count.stdout.strip().splitlines()[-1] == "48", count.stderr


def test_serve_refuses_a_busy_port(server_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*SAMIZDAT, "serve", "--port", str(port)],
            env=server_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr


def worker_children(pid: int) -> list[int]:
    """The `samizdat worker` processes started by the server process ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"worker" in cmdline:
            found.append(int(entry.name))
    return found


def test_serve_runs_a_task_worker_and_restarts_it(demo_server, server_env, tmp_path):
    _base, process = demo_server
    marker = tmp_path / "ran.txt"
    env = {**server_env, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "samizdat.settings"}

    def enqueue():
        subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); "
             "from tests.core.background_tasks import slow_write; "
             f"slow_write.enqueue({str(marker)!r}, 0)"],
            env=env, check=True, cwd=ROOT, timeout=60,
        )  # fmt: skip

    def wait_lines(count):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if marker.exists() and len(marker.read_text().splitlines()) >= count:
                return
            time.sleep(0.2)
        raise AssertionError(f"the worker did not run the task ({count})")

    (first,) = worker_children(process.pid)
    enqueue()
    wait_lines(1)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and worker_children(process.pid) in ([], [first]):
        time.sleep(0.2)
    (second,) = worker_children(process.pid)
    assert second != first
    enqueue()
    wait_lines(2)
    process.terminate()
    process.wait(timeout=20)
    time.sleep(0.5)
    assert not Path(f"/proc/{second}").exists() or b"Z" in Path(f"/proc/{second}/stat").read_bytes()
