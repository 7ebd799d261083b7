"""systemd's notify protocol: "ready" once the site answers, and its watchdog fed while it does.

With ``Type=notify`` and ``WatchdogSec=`` in the unit (see the README), systemd sets
``NOTIFY_SOCKET`` and ``WATCHDOG_USEC``; ``samizdat serve`` then asks its own
``/healthz`` every half period and says ``WATCHDOG=1`` only when it answers, so a
server that is stuck (not merely running) is restarted. Without those variables
nothing here runs.
"""

from __future__ import annotations

import os
import socket
import threading
import urllib.request


def notify(message: str) -> bool:
    """Send ``message`` to systemd, if it listens; True when sent."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.connect(address)
            sender.sendall(message.encode())
    except OSError:
        return False  # systemd gone: nothing to tell
    return True


def watchdog_interval() -> float | None:
    """Half of systemd's watchdog period (seconds), if it watches this process."""
    pid = os.environ.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 2_000_000 if usec > 0 else None


def answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- loopback
            return response.status == 200
    except OSError:
        return False


class Notifier(threading.Thread):
    """Say READY=1 when ``/healthz`` first answers, then WATCHDOG=1 each time it does."""

    def __init__(self, host: str, port: int, stopping: threading.Event):
        super().__init__(name="systemd-notify", daemon=True)
        loopback = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
        if ":" in loopback:
            loopback = f"[{loopback}]"
        self.url = f"http://{loopback}:{port}/healthz"
        self.stopping = stopping
        self.interval = watchdog_interval()

    @classmethod
    def wanted(cls) -> bool:
        return bool(os.environ.get("NOTIFY_SOCKET"))

    def run(self) -> None:
        while not answers(self.url, timeout=5):
            if self.stopping.wait(0.5):
                return
        notify(f"READY=1\nSTATUS=Serving at {self.url.removesuffix('/healthz')}/")
        if self.interval is None:
            return
        while not self.stopping.wait(self.interval):
            # A probe that takes longer than the interval counts as no answer.
            if answers(self.url, timeout=min(self.interval, 10)):
                notify("WATCHDOG=1")
