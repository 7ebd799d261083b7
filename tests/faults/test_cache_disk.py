"""The page cache's directory on a real small filesystem, filled up, then made read-only."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.core.test_commands import server_env  # noqa: F401
from tests.faults.servers import SAMIZDAT, serving
from tests.faults.test_redis_down import essay_of, get, post_comment

pytestmark = pytest.mark.django_db(transaction=True)


def mount_tmpfs(path: Path, size: str) -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the small-filesystem test mounts a tmpfs: CI runs as root")
        pytest.skip("mounting a small filesystem needs root")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)


def fill(path: Path) -> None:
    """Write until the filesystem says ENOSPC."""
    with (path / "filler").open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == 28  # ENOSPC: the fault is real


def pages_are_served_uncached(base: str, essay: str) -> None:
    for address in (base + "/", essay, base + "/feed/", base + "/?s=essay"):
        for _ in range(2):  # the second request would be a hit if the first were kept
            status, page, headers = get(address)
            assert status == 200, (address, status, page[:300])
            assert headers.get("x-page-cache") != "hit", address


def test_a_full_then_read_only_cache_directory(server_env):  # noqa: F811
    cache = Path(server_env["SAMIZDAT_DATA_DIR"]) / "cache"
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    mount_tmpfs(cache, "512k")
    try:
        with serving(server_env, "--no-worker", "--no-demo-login", command="demo") as (
            base,
            server,
        ):
            essay = essay_of(base)
            get(essay)
            assert get(essay)[2].get("x-page-cache") == "hit", "kept while there is room"
            fill(cache)
            assert post_comment(base, essay, "Posted with the cache disk full.") == 302
            pages_are_served_uncached(base, essay)
            assert "Posted with the cache disk full." in get(essay)[1]

            subprocess.run(["mount", "-o", "remount,ro", str(cache)], check=True)
            assert post_comment(base, essay, "Posted with the cache read-only.") == 302
            pages_are_served_uncached(base, essay)
            assert "Posted with the cache read-only." in get(essay)[1]
            server.terminate()
            server.wait(timeout=60)
            log = server.read_log()
    finally:
        subprocess.run(["umount", "-l", str(cache)], check=False)
    # Said in the log, once a minute: not once per page.
    assert 0 < log.count("keeping a page in the page cache failed") <= 2, log[-3000:]
    assert "Traceback" in log  # with the cause, for the operator
    assert "Internal Server Error" not in log
