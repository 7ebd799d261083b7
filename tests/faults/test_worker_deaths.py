"""Web workers killed again and again: the server keeps serving (granian alone exits)."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_commands import SAMIZDAT, server_env  # noqa: F401
from tests.faults.servers import children, cmdline, serving

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_worker_deaths_in_ten_seconds(server_env):  # noqa: F811
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    with serving(server_env, "--no-worker") as (base, server):
        base += "/"
        (granian,) = [p for p in children(server.pid) if b"serve" in cmdline(p)]
        killed = 0
        started = time.monotonic()
        while killed < 5 and time.monotonic() - started < 12:
            workers = (
                [p for p in children(granian) if cmdline(p)]
                if Path(f"/proc/{granian}").exists()
                else []
            )
            if not workers:
                time.sleep(0.1)
                granian_now = [p for p in children(server.pid) if b"serve" in cmdline(p)]
                if granian_now:
                    granian = granian_now[0]
                continue
            os.kill(workers[0], signal.SIGKILL)
            killed += 1
            time.sleep(1.0)
        assert killed == 5
        assert server.poll() is None, "samizdat serve itself is still running"
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("the site did not come back")
        server.terminate()
        server.wait(timeout=30)
        output = server.read_log()
    # The fault was real: granian gave up, and serve started it again.
    assert "crash loop" in output and "starting it again" in output, output[-2000:]


def test_sighup_reloads_workers_and_sigterm_stops_cleanly(server_env):  # noqa: F811
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    with serving(server_env, "--no-worker") as (base, server):
        (granian,) = [p for p in children(server.pid) if b"serve" in cmdline(p)]
        before = set(children(granian))
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (set(children(granian)) - before):
            time.sleep(0.2)
        assert set(children(granian)) - before, "new workers after SIGHUP"
        assert server.poll() is None
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert response.status == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
        assert (
            not Path(f"/proc/{granian}").exists()
            or b"Z" in Path(f"/proc/{granian}/stat").read_bytes()
        )
