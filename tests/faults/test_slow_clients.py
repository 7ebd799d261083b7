"""A client that never finishes its headers is dropped; others are served meanwhile."""

import socket
import subprocess
import time
import urllib.request

import pytest

from tests.core.test_commands import SAMIZDAT, free_port, server_env  # noqa: F401
from tests.faults.servers import serving

pytestmark = pytest.mark.django_db(transaction=True)


def test_slow_headers_are_cut_off(server_env):  # noqa: F811
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    env = dict(server_env, SAMIZDAT_HEADER_TIMEOUT="2")
    with serving(env, "--no-worker") as (base, _server):
        port = int(base.rsplit(":", 1)[1])
        base += "/"
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
        for connection in slow:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
        started = time.monotonic()
        with urllib.request.urlopen(base, timeout=10) as response:
            assert response.status == 200
        assert time.monotonic() - started < 5, "served while 50 clients dawdle"
        time.sleep(3)
        closed = 0
        for connection in slow:
            connection.settimeout(2)
            try:
                data = connection.recv(1024)
            except (ConnectionResetError, TimeoutError, OSError):
                data = b""
            closed += data == b"" or data.startswith(b"HTTP/1.1 408")
            connection.close()
        assert closed == 50, closed


def test_a_wrong_limit_is_one_plain_line(server_env):  # noqa: F811
    env = dict(server_env, SAMIZDAT_HEADER_TIMEOUT="soon")
    result = subprocess.run(
        [*SAMIZDAT, "serve", "--port", str(free_port()), "--no-migrate", "--no-worker"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SAMIZDAT_HEADER_TIMEOUT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr
