"""What the fault tests share: a real Redis, and a real samizdat serving on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

import pytest

from tests.core.test_commands import SAMIZDAT, free_port, wait_for


@contextmanager
def redis_server(*, save: bool = False):
    """Start redis-server on a free port; yield (url, restart, stop)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (scripts/test installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="samizdat-redis-")
    command = [binary, "--dir", directory, "--port", str(port), "--bind", "127.0.0.1",
               "--save", "3600 1" if save else "", "--appendonly", "no"]  # fmt: skip
    process = [subprocess.Popen(command, stdout=subprocess.DEVNULL)]

    def stop():
        if process[0].poll() is None:
            process[0].terminate()  # SIGTERM: with save on, Redis writes its data first
            process[0].wait(timeout=20)

    def restart():
        stop()
        process[0] = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    try:
        yield f"redis://127.0.0.1:{port}/0", restart, stop
    finally:
        stop()
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def serving(env: dict, *options: str, command: str = "serve"):
    """Run `samizdat serve` (or demo) with one web worker; yield (base URL, process)."""
    port = free_port()
    server = subprocess.Popen(
        [*SAMIZDAT, command, "--port", str(port), "--workers", "1", *options],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", server)
        yield base, server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
