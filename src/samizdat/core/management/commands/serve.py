"""``samizdat serve``: migrate, collect static files, and serve with granian."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import nullcontext

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from samizdat.core.systemd import Notifier, notify


class Command(BaseCommand):
    help = "Apply migrations, then serve samizdat with granian (a production WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes (default: one per core).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("SAMIZDAT_THREADS", "1")),
            # Rendering is CPU-bound under the GIL: on the demo essay, 1 thread per worker
            # gave 84-95 req/s (p99 35-50 ms), 2 gave 73, 4 gave 83 (p99 200 ms), and
            # granian's default (hundreds) 70 (p99 440 ms). Granian's backpressure stays at
            # its default: tied to the thread count, idle keep-alive connections held every
            # slot and a browser's parallel requests for a page stalled.
            help="Python threads per worker running requests (default 1, or SAMIZDAT_THREADS).",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply migrations first."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run a task worker beside the web workers (run `samizdat worker`).",
        )

    def handle(self, *args, **options):
        if not os.environ.get(GRANIAN_CHILD):
            self.prepare(migrate=not options["no_migrate"])
        self.serve(
            options["host"],
            options["port"],
            options["workers"],
            options["threads"],
            task_worker=not options["no_worker"],
        )

    def prepare(self, *, migrate: bool = True) -> None:
        """Bring the database and static files up to date."""
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.WHITENOISE_USE_FINDERS:
            call_command("collectstatic", interactive=False, verbosity=0)

    def serve(
        self, host: str, port: int, workers: int, threads: int = 1, *, task_worker: bool = True
    ) -> None:
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        self.check_port(host, port)
        # Workers open their own connections; none may be inherited from this process.
        # That includes a psycopg pool: forked workers sharing its sockets corrupt each
        # other's queries.
        for connection in connections.all(initialized_only=True):
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
        server_limits()  # a wrong value is said once, here, before anything starts
        if os.environ.get(GRANIAN_CHILD):
            die_with_parent(GRANIAN_CHILD)
            self.run_granian(host, port, workers, threads)
            return
        self.stdout.write(
            f"Serving samizdat at http://{host}:{port}/ with granian, {workers} worker(s)."
        )
        # The task worker (mail, webhooks, training) runs beside the web workers.
        with TaskWorker(self.stdout) if task_worker else nullcontext():
            self.supervise_granian(host, port, workers, threads)

    def supervise_granian(self, host: str, port: int, workers: int, threads: int) -> None:
        """Run granian as a child, and start it again if it exits on its own.

        granian respawns a worker that dies, but exits altogether when one dies again
        within about 5 s of its respawn ("Worker crash loop detected"), which would take
        the site down for good. SIGTERM and SIGINT are passed on, and granian finishes
        the requests it has accepted before it exits; SIGHUP reloads its workers.
        """
        command = [
            sys.executable, "-m", "samizdat", "serve", "--host", host, "--port", str(port),
            "--workers", str(workers), "--threads", str(threads), "--no-migrate", "--no-worker",
        ]  # fmt: skip
        stopping = threading.Event()
        child: subprocess.Popen | None = None

        def forward(signum, frame):
            if signum != signal.SIGHUP:
                stopping.set()
                notify("STOPPING=1")  # to systemd, if it listens
            if child is not None and child.poll() is None:
                child.send_signal(signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, forward)
        if Notifier.wanted():
            # systemd (Type=notify, WatchdogSec=): ready once the site answers, then
            # kept alive only while it keeps answering.
            Notifier(host, port, stopping).start()
        delay = 1.0
        while True:
            started = time.monotonic()
            child = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
                command, env={**os.environ, GRANIAN_CHILD: str(os.getpid())}
            )
            code = child.wait()
            if stopping.is_set():
                return
            delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, 30.0)
            self.stdout.write(f"granian exited (code {code}); starting it again in {delay:.0f} s.")
            stopping.wait(delay)
            if stopping.is_set():
                return

    def run_granian(self, host: str, port: int, workers: int, threads: int) -> None:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.http import HTTP1Settings

        limits = server_limits()
        Granian(
            "samizdat.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            respawn_failed_workers=True,
            log_access=bool(os.environ.get("SAMIZDAT_ACCESS_LOG")),
            # Connections waiting to be accepted; a client that has not sent its headers
            # within the timeout is dropped (slowloris); on SIGTERM, requests in flight
            # get this long to finish.
            backlog=limits["backlog"],
            http1_settings=HTTP1Settings(header_read_timeout=limits["header_timeout"] * 1000),
            workers_kill_timeout=limits["shutdown_timeout"],
        ).serve()

    def check_port(self, host: str, port: int) -> None:
        """Fail with a clear message when the address is taken, before starting workers."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise CommandError(
                    f"Cannot listen on {host}:{port}: {exc.strerror}. "
                    "Is another server running there? Choose another --port."
                ) from exc


def server_limits() -> dict[str, int]:
    """granian's limits, from the environment (see the README's production section)."""

    def number(name: str, default: int) -> int:
        try:
            return max(1, int(os.environ.get(name, default)))
        except ValueError as error:
            raise CommandError(
                f"{name} must be a whole number of seconds or connections."
            ) from error

    return {
        "backlog": number("SAMIZDAT_BACKLOG", 1024),
        "header_timeout": number("SAMIZDAT_HEADER_TIMEOUT", 10),
        "shutdown_timeout": number("SAMIZDAT_SHUTDOWN_TIMEOUT", 30),
    }


#: Set in the environment of the granian process that ``serve`` supervises (its pid).
GRANIAN_CHILD = "SAMIZDAT_GRANIAN_PARENT"


def die_with_parent(variable: str) -> None:
    """Started by ``samizdat serve``: stop when it dies, even by SIGKILL (Linux)."""
    parent = os.environ.get(variable)
    if not parent:
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        return  # not Linux: stopped on the server's clean exit only
    if str(os.getppid()) != parent:
        sys.exit(0)  # the server died before the signal was asked for


class TaskWorker:
    """``samizdat worker`` in a child process beside the web workers, restarted if it dies.

    The child asks to be stopped when this process dies, however it dies (see
    ``samizdat worker``), so no worker outlives the server.
    """

    def __init__(self, stdout):
        self.stdout = stdout
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.supervise, name="task-worker", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return False

    def supervise(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "samizdat", "worker"],
                env={**os.environ, "SAMIZDAT_WORKER_PARENT": str(os.getpid())},
            )
            code = self.process.wait()
            if self.stopping.is_set():
                return
            # A worker that dies at once again and again is restarted less and less often.
            delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, 60.0)
            self.stdout.write(f"The task worker stopped (code {code}); restarting it.")
            self.stopping.wait(delay)
