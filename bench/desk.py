"""Benchmark: the comments desk's queues at a million comments, on SQLite and PostgreSQL.

    python bench/desk.py [--comments 1000000] [--only sqlite|postgresql] [--data DIR]

Builds the same site as bench/serve.py (through samizdat's import; 1 comment in 20 is
pending, 1 in 20 spam, 1 in 20 trash), then, as a staff user, times the desk's pages
in-process (Django's test client: the whole request, middleware and templates, no
network) and counts their queries. Prints the median and 90th percentile of 25 runs,
with the machine it ran on. ``--data DIR`` keeps the SQLite site for the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import serve

RUNS = 25
PAGES = [
    ("Pending queue, page 1", "/admin/desk/?status=pending"),
    ("Pending queue, page 1,000", "/admin/desk/?status=pending&p=1000"),
    ("All, page 1", "/admin/desk/"),
    ("Spam, page 1", "/admin/desk/?status=spam"),
    ("one post's comments (1,000)", "/admin/desk/?post={thousand}"),
    ("search (a word in most comments)", "/admin/desk/?q=typescript"),
    ("search (an address, none match)", "/admin/desk/?q=nobody%40nowhere.example"),
    ("admin home (with the pending count)", "/admin/"),
]


def probe() -> None:
    """Run inside the site's environment: time each page as a staff user."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from samizdat.discussion.models import Comment
    from samizdat.pagecache.store import invalidate
    from samizdat.publishing.models import Post

    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    thousand = Post.objects.get(slug="thousand").pk
    print(
        f"  {Comment.objects.count():,} comments, "
        f"{Comment.objects.filter(status='pending').count():,} pending"
    )
    print(f"  {'page':<40}{'median ms':>10}{'p90 ms':>10}{'queries':>9}")
    for name, url in PAGES:
        url = url.format(thousand=thousand)
        times = []
        for run in range(RUNS):
            if run % 5 == 0:
                invalidate()  # the pending count is kept per site generation: recount it too
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"  {name:<40}{statistics.median(times):>10.1f}{p90:>10.1f}{len(queries):>9}")


def measure(env: dict, title: str) -> None:
    print(title)
    # As `samizdat serve` would: pages name their static files through the manifest.
    subprocess.run([*serve.SAMIZDAT, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, __file__, "--probe"], env=env, check=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments in all")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--data", type=Path, help="keep (and reuse) the SQLite site here")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe()
        return
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}; "
        f"in-process requests as a staff user, {RUNS} runs each\n"
    )
    if args.only in (None, "sqlite"):
        serve.run_sqlite(args.comments, args.data, measure=measure)
    if args.only in (None, "postgresql"):
        serve.run_postgresql(args.comments, measure=measure)


if __name__ == "__main__":
    main()
