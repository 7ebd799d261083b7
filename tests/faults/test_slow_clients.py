"""A client that never finishes its headers is dropped; others are served meanwhile."""

import socket
import ssl
import subprocess
import time
import urllib.request

import pytest

from tests.core.test_commands import SAMIZDAT, free_port, server_env  # noqa: F401
from tests.faults.servers import https_get_seconds, readme_nginx, serving, slowloris

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


def test_the_readme_nginx_absorbs_1100_slowloris_connections(server_env, tmp_path):  # noqa: F811
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=server_env, check=True, timeout=300)
    env = dict(server_env, SAMIZDAT_ALLOWED_HOSTS="essays.example.org,127.0.0.1",
               SAMIZDAT_PROXY_HOPS="1")  # fmt: skip
    with (
        serving(env, "--no-worker") as (base, _server),
        readme_nginx(int(base.rsplit(":", 1)[1]), tmp_path) as https,
    ):
        assert https_get_seconds(https)[0] == 200
        held = slowloris(https, 1100)
        try:
            timings = [https_get_seconds(https) for _ in range(20)]
            # The fault was real: the slow clients are still connected, still waiting.
            for connection in held[:: len(held) // 20]:
                connection.setblocking(False)
                with pytest.raises(ssl.SSLWantReadError):
                    connection.recv(1)
        finally:
            for connection in held:
                connection.close()
    assert {status for status, _ in timings} == {200}
    seconds = sorted(t for _, t in timings)
    # Readers are served at once while 1,100 clients dawdle in nginx (granian alone
    # keeps them for its header timeout, 10 s).
    assert seconds[len(seconds) // 2] < 0.5 and seconds[-1] < 2, seconds
