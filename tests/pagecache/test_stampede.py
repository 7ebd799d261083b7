"""Stampede protection: after an invalidation, 32 concurrent misses of one page cause one
render; the others wait for it. Measured on a real server, files and Redis."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.core.test_commands import SAMIZDAT, server_env  # noqa: F401
from tests.faults.servers import serving
from tests.pagecache.test_two_servers import cache_env, run  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def concurrently(url: str, count: int) -> list[tuple[int, str, bytes, float]]:
    """GET ``url`` from ``count`` threads released at once: (status, X-Page-Cache, body, s)."""
    barrier = threading.Barrier(count)
    answers = []

    def fetch():
        barrier.wait()
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                answer = (response.status, response.headers.get("X-Page-Cache", ""),
                          response.read())  # fmt: skip
        except urllib.error.HTTPError as error:
            answer = (error.code, error.headers.get("X-Page-Cache", ""), error.read())
        answers.append((*answer, time.monotonic() - started))

    threads = [threading.Thread(target=fetch) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_32_concurrent_misses_render_once(cache_env):  # noqa: F811
    import subprocess

    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=cache_env, check=True, timeout=300)
    options = ("--workers", "2", "--threads", "16", "--no-worker", "--no-demo-login")
    # A loaded CI machine may take seconds for one render: the waiters wait it out.
    env = dict(cache_env, SAMIZDAT_PAGE_CACHE_WAIT_SECONDS="60")
    with serving(env, *options, command="demo") as (base, _server):
        with urllib.request.urlopen(base + "/") as response:
            home = response.read().decode()
        essay = base + home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]
        urllib.request.urlopen(essay).read()
        for _ in range(3):
            # A change, made by another process: every kept page is stale.
            run(cache_env, "from samizdat.pagecache.store import invalidate; invalidate()")
            answers = concurrently(essay, 32)
            kinds = Counter(kind for _, kind, _, _ in answers)
            assert {status for status, _, _, _ in answers} == {200}
            assert kinds["miss"] == 1, kinds  # one render
            assert kinds["miss"] + kinds["waited"] + kinds["hit"] == 32, kinds
            assert len({body for _, _, body, _ in answers}) == 1, "all got the same page"
        # A page that is never kept (a 404): the waiters are let go at once, not after
        # the wait's limit.
        answers = concurrently(base + "/no/such/page/", 16)
        assert {status for status, _, _, _ in answers} == {404}
        assert max(seconds for *_, seconds in answers) < 4
