"""Benchmark: samizdat under load while its parts fail, on SQLite and on PostgreSQL+Redis.

    python bench/faults.py [--only sqlite|postgresql] [--seconds 5]

Runs as root (it mounts small filesystems and restarts servers). Each site is the demo
site served by ``samizdat serve`` (2 granian workers, 4 threads each, the task worker
beside them), driven throughout by 16 comment writers (a new connection per comment,
moderation off) and 4 readers (home page, the essay, a search, the feed). Faults come
one after another, each held for ``--seconds`` then undone:

- SQLite: the page cache's filesystem full, then read-only; the data directory's
  filesystem full (the database cannot grow); web workers killed 5 times in 10 s.
- PostgreSQL + Redis: Redis stopped then started; Redis restarted with its data saved
  (Debian's default); web workers killed 5 times in 10 s; PostgreSQL restarted 3 times.
- Both: 1,100 slowloris connections through the README's nginx site, with a reader's
  GET timed through it meanwhile; last, SIGTERM while comments are posted.

For each fault it prints the comments acknowledged (answered with the redirect to
them), those lost (acknowledged but not in the database at the end: must be 0), the
5xx answers to readers and to writers, other failures (refused or cut connections),
and the seconds from undoing the fault to the last failed request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.servers import (  # noqa: E402
    Load,
    children,
    cmdline,
    https_get_seconds,
    postgres_cluster,
    readme_nginx,
    redis_server,
    serving,
    slowloris,
    stored_comments,
)

WRITERS, READERS = 16, 4
READ_PATHS = ("/", "/{essay}", "/?s=revolution", "/feed/")


def base_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        SAMIZDAT_DATA_DIR=str(data),
        SECRET_KEY="bench-" + "s" * 50,
        SAMIZDAT_COMMENTS_FLOOD_SECONDS="0",
        SAMIZDAT_COMMENTS_RATE_NETWORK="off",
        SAMIZDAT_COMMENTS_RATE_AUTHOR="off",
        SAMIZDAT_COMMENTS_MODERATION="none",
        SAMIZDAT_ALLOWED_HOSTS="essays.example.org,127.0.0.1",
    )
    return env


def mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)


def fill(path: Path) -> Path:
    """Write a file until the filesystem is full; return it."""
    filler = path / "bench-filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * (1 << 20))
                out.flush()
        except OSError:
            pass
    return filler


class Run:
    """One site under load, and the faults applied to it, in order."""

    def __init__(self, load: Load, seconds: float):
        self.load, self.seconds = load, seconds
        self.phases: list[tuple[str, float, float]] = []  # (name, start, undone)
        self.slowloris: dict | None = None

    @contextmanager
    def fault(self, name: str):
        """Apply a fault inside the block; the time after it counts as its recovery."""
        started = time.monotonic()
        yield
        self.phases.append((name, started, time.monotonic()))
        time.sleep(self.seconds)  # recovery, still this fault's

    def baseline(self) -> None:
        started = time.monotonic()
        time.sleep(self.seconds)
        self.phases.append(("none (baseline)", started, started))

    def table(self, stored: set[str]) -> str:
        bounds = [start for _, start, _ in self.phases[1:]] + [float("inf")]
        rows = [
            "| fault | comments acknowledged | lost | 5xx to readers | 5xx to writers "
            "| refused or cut | seconds to recover |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for (name, start, undone), end in zip(self.phases, bounds, strict=True):
            posts = [p for p in self.load.posts if start <= p[2] < end]
            reads = [r for r in self.load.reads if start <= r[2] < end]
            acknowledged = {text for text, status, _ in posts if status == 302}
            writer_5xx = Counter(s for _, s, _ in posts if isinstance(s, int) and s >= 500)
            reader_5xx = sum(1 for _, s, _ in reads if isinstance(s, int) and s >= 500)
            cut = sum(1 for _, s, _ in posts + reads if not isinstance(s, int))
            failed = [t for _, s, t in posts + reads if not isinstance(s, int) or s >= 500]
            recover = max([0.0] + [t - undone for t in failed])
            writers = ", ".join(f"{n} x {code}" for code, n in sorted(writer_5xx.items())) or "0"
            rows.append(
                f"| {name} | {len(acknowledged)} | {len(acknowledged - stored)} | {reader_5xx} "
                f"| {writers} | {cut} | {recover:.1f} |"
            )
        return "\n".join(rows)


def kill_workers(server, times: int = 5, within: float = 10.0) -> int:
    """SIGKILL a granian web worker ``times`` times, spread over ``within`` seconds."""
    killed, started = 0, time.monotonic()
    while killed < times and time.monotonic() - started < within + 10:
        granian = [p for p in children(server.pid) if b"serve" in cmdline(p)]
        workers = [w for g in granian for w in children(g) if cmdline(w)]
        if not workers:
            time.sleep(0.1)
            continue
        os.kill(workers[0], signal.SIGKILL)
        killed += 1
        time.sleep(within / times)
    return killed


def slowloris_through_nginx(base: str, workdir: Path, count: int = 1100) -> dict:
    """A reader's GET timed through the README's nginx with and without ``count`` slow clients."""
    with readme_nginx(int(base.rsplit(":", 1)[1]), workdir) as https:
        quiet = [https_get_seconds(https)[1] for _ in range(10)]
        held = slowloris(https, count)
        try:
            busy = [https_get_seconds(https) for _ in range(20)]
        finally:
            for connection in held:
                connection.close()
    return {
        "quiet_ms": statistics.median(quiet) * 1000,
        "busy_ms": statistics.median(t for _, t in busy) * 1000,
        "busy_max_ms": max(t for _, t in busy) * 1000,
        "statuses": Counter(s for s, _ in busy),
    }


def sigterm_during_posting(env: dict, tag: str) -> dict:
    """Stop a second server with SIGTERM while 16 writers post: every accepted request answered."""
    with (
        serving(env, "--threads", "4", "--no-worker", "--no-migrate") as (base, server),
        Load(base, writers=WRITERS, readers=0, tag=tag) as load,
    ):
        time.sleep(2)
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
        time.sleep(0.5)
    stored = stored_comments(env, tag + " ")
    outcomes = Counter(s for _, s, _ in load.posts)
    return {
        "exit": code,
        "acknowledged": len(load.acknowledged()),
        "lost": len(load.acknowledged() - stored),
        "unanswered": len(stored - load.acknowledged()),
        "outcomes": outcomes,
    }


def run(kind: str, seconds: float) -> None:
    data = Path(tempfile.mkdtemp(prefix=f"samizdat-faults-{kind}-"))
    nginx_dir = Path(tempfile.mkdtemp(prefix="samizdat-faults-nginx-"))
    tag = f"fault-{kind}"
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, data, ignore_errors=True)
        stack.callback(shutil.rmtree, nginx_dir, ignore_errors=True)
        env = base_env(data)
        if kind == "sqlite":
            # The data directory and the page cache each on a small filesystem of their own.
            mount_tmpfs(data, "256m")
            stack.callback(subprocess.run, ["umount", "-l", str(data)], check=False)
            migrate = [sys.executable, "-m", "samizdat", "migrate", "-v0"]
            subprocess.run(migrate, env=env, check=True)
            mount_tmpfs(data / "cache", "32m")
            stack.callback(subprocess.run, ["umount", "-l", str(data / "cache")], check=False)
        else:
            url, restart_pg = stack.enter_context(postgres_cluster())
            redis_url, restart_redis, stop_redis = stack.enter_context(redis_server(save=True))
            env.update(DATABASE_URL=url, REDIS_URL=redis_url)
        options = ("--threads", "4", "--workers", "2", "--no-demo-login")
        with serving(env, *options, command="demo") as (base, server):
            paths = tuple(p.format(essay=base_essay(base).lstrip("/")) for p in READ_PATHS)
            with Load(base, writers=WRITERS, readers=READERS, read_paths=paths, tag=tag) as load:
                bench = Run(load, seconds)
                bench.baseline()
                if kind == "sqlite":
                    with bench.fault("page cache disk full"):
                        filler = fill(data / "cache")
                        time.sleep(seconds)
                        filler.unlink()
                    with bench.fault("page cache read-only"):
                        remount = ["mount", "-o", "remount,ro", str(data / "cache")]
                        subprocess.run(remount, check=True)
                        time.sleep(seconds)
                        subprocess.run([*remount[:2], "remount,rw", remount[3]], check=True)
                    with bench.fault("data disk full (503 expected)"):
                        filler = fill(data)
                        time.sleep(seconds)
                        filler.unlink()
                else:
                    with bench.fault("Redis stopped"):
                        stop_redis()
                        time.sleep(seconds)
                        restart_redis()
                    with bench.fault("Redis restarted with its data"):
                        restart_redis()
                with bench.fault("web worker killed 5x in 10 s"):
                    kill_workers(server)
                if kind == "postgresql":
                    with bench.fault("PostgreSQL restarted 3x (503 expected)"):
                        for number in range(3):
                            restart_pg(down=1.0)
                            if number < 2:
                                time.sleep(2)
                with bench.fault("1,100 slowloris connections (nginx)"):
                    bench.slowloris = slowloris_through_nginx(base, nginx_dir)
        stored = stored_comments(env, tag + " ")
        stopping = sigterm_during_posting(env, f"sigterm-{kind}")
    print(bench.table(stored))
    cut = sum(
        n for s, n in stopping["outcomes"].items() if s not in (302, "ConnectionRefusedError")
    )
    print(
        f"| SIGTERM while 16 writers post (separate run) | {stopping['acknowledged']} "
        f"| {stopping['lost']} | - | - | {stopping['outcomes'].get('ConnectionRefusedError', 0)} "
        "refused after the stop, "
        f"{cut} cut | exit {stopping['exit']} |"
    )
    print(
        f"\nacknowledged in all: {len(load.acknowledged())}, lost: "
        f"{len(load.acknowledged() - stored)}; stored without an answer: "
        f"{len(stored - load.acknowledged())} (its answer cut by a killed worker or a cut COMMIT; "
        "posting again lands on it); SIGTERM run: "
        f"{stopping['unanswered']} stored without an answer"
    )
    sl = bench.slowloris
    print(
        f"slowloris through the README's nginx: a reader's GET {sl['quiet_ms']:.0f} ms "
        f"(median) without, {sl['busy_ms']:.0f} ms (median, max {sl['busy_max_ms']:.0f} ms) "
        f"with 1,100 slow clients held; answers {dict(sl['statuses'])}\n"
    )


def base_essay(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=30) as response:
        home = response.read().decode()
    return home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=5.0, help="each fault's length")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/faults.py runs as root: it mounts filesystems and restarts servers.")
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}; server: samizdat serve, "
        f"2 granian workers x 4 threads + task worker; load: {WRITERS} writers, "
        f"{READERS} readers, a fault every {args.seconds:.0f} s + {args.seconds:.0f} s to recover\n"
    )
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            title = "SQLite (page cache in files)" if kind == "sqlite" else "PostgreSQL + Redis"
            print(f"## {title}\n")
            run(kind, args.seconds)


if __name__ == "__main__":
    main()
