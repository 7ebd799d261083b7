"""systemd's watchdog: fed while the site answers, starved when its worker is stuck."""

import os
import signal
import socket
import subprocess
import time

import pytest

from tests.core.test_commands import server_env  # noqa: F401
from tests.faults.servers import SAMIZDAT, children, cmdline, serving

pytestmark = pytest.mark.django_db(transaction=True)


def messages(listener: socket.socket, seconds: float) -> list[str]:
    """What systemd would have received in the next ``seconds``."""
    received, deadline = [], time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        listener.settimeout(left)
        try:
            received.append(listener.recv(4096).decode())
        except TimeoutError:
            break
    return received


def test_ready_then_watchdog_only_while_the_site_answers(server_env, tmp_path):  # noqa: F811
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        # As systemd sets them for Type=notify and WatchdogSec=2.
        env = dict(server_env, NOTIFY_SOCKET=address, WATCHDOG_USEC="2000000")
        with serving(env, "--no-worker") as (_base, server):
            heard = messages(listener, 4)
            assert heard[0].startswith("READY=1"), heard
            assert heard.count("WATCHDOG=1") >= 2, heard
            # The web worker stops answering (stuck, not dead): no more WATCHDOG=1,
            # and systemd would restart the service.
            (granian,) = [p for p in children(server.pid) if b"serve" in cmdline(p)]
            workers = [p for p in children(granian) if cmdline(p)]
            for pid in workers:
                os.kill(pid, signal.SIGSTOP)
            try:
                messages(listener, 1.5)  # a probe already answered may still be said
                assert "WATCHDOG=1" not in messages(listener, 4)
            finally:
                for pid in workers:
                    os.kill(pid, signal.SIGCONT)
            assert "WATCHDOG=1" in messages(listener, 5), "fed again once it answers"
            server.send_signal(signal.SIGTERM)
            assert "STOPPING=1" in messages(listener, 5)
            assert server.wait(timeout=60) == 0
