"""Benchmark: import a synthetic WordPress export; print comments per second and peak RSS.

    python bench/import_wxr.py [--posts 10000] [--comments 200000] [--also-tenth]

It writes the WXR file (threaded comments, mixed statuses and types), then imports it
with `samizdat import_wxr` in a fresh process on a fresh SQLite database (or, with
DATABASE_URL set, a scratch database it creates beside DATABASE_URL's and drops after),
and reports that process's wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

STATUSES = ["1"] * 14 + ["0", "0", "spam", "trash"]
TYPES = [""] * 18 + ["pingback", "trackback"]
WORDS = [
    "samizdat",
    "essay",
    "typescript",
    "carbon",
    "copy",
    "reader",
    "press",
    "archive",
    "letter",
    "censor",
    "publish",
    "distribute",
    "night",
    "lend",
    "retype",
    "borrower",
    "paper",
    "ribbon",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_wxr(path: Path, posts: int, comments: int, seed: int = 7) -> None:
    """Write a WXR 1.2 file with `posts` posts and `comments` comments spread over them."""
    rng = random.Random(seed)
    per_post = comments // posts
    extra = comments - per_post * posts
    start = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>https://bench.example/</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example/</wp:base_site_url>\n"
            "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>writer"
            "</wp:author_login><wp:author_email>w@bench.example</wp:author_email>"
            "<wp:author_display_name>Writer</wp:author_display_name></wp:author>\n"
        )
        for number in range(1, posts + 1):
            date = start + dt.timedelta(hours=number)
            stamp = date.strftime("%Y-%m-%d %H:%M:%S")
            body = "\n\n".join(sentence(rng, 30) for _ in range(4))
            out.write(
                f"<item><title>Post {number}</title>"
                f"<link>https://bench.example/?p={number}</link>"
                f'<guid isPermaLink="false">https://bench.example/?p={number}</guid>'
                "<dc:creator>writer</dc:creator>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{number}</wp:post_id><wp:post_date>{stamp}</wp:post_date>"
                f"<wp:post_date_gmt>{stamp}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>post-{number}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                '<category domain="category" nicename="essays"><![CDATA[Essays]]></category>\n'
            )
            ids: list[int] = []
            for index in range(per_post + (1 if number <= extra else 0)):
                comment_id += 1
                # About a third are replies, threaded up to a few levels deep.
                parent = rng.choice(ids[-5:]) if ids and rng.random() < 0.35 else 0
                ids.append(comment_id)
                when = (date + dt.timedelta(minutes=index + 1)).strftime("%Y-%m-%d %H:%M:%S")
                text = escape(sentence(rng, rng.randint(8, 40)))
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 997}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 997}@bench.example"
                    "</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
                    "<wp:comment_author_IP>127.0.0.1</wp:comment_author_IP>"
                    f"<wp:comment_date>{when}</wp:comment_date>"
                    f"<wp:comment_date_gmt>{when}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{text}</wp:comment_content>"
                    f"<wp:comment_approved>{rng.choice(STATUSES)}</wp:comment_approved>"
                    f"<wp:comment_type>{rng.choice(TYPES)}</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent>"
                    "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def run_import(wxr: Path, workdir: Path, database_url: str | None = None) -> tuple[float, float]:
    """Import in a fresh process; return (seconds, peak RSS in MB of that process)."""
    env = dict(
        os.environ,
        SAMIZDAT_DATA_DIR=str(workdir),
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    samizdat = [sys.executable, "-m", "samizdat"]
    subprocess.run([*samizdat, "migrate", "-v0"], env=env, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [*samizdat, "import_wxr", str(wxr)], env=env, check=True, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far; the import is the largest child we run.
    return seconds, max(peak, before) / 1024


@contextlib.contextmanager
def scratch_database():
    """With DATABASE_URL, make an empty database beside it for one run, then drop it."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"samizdat_bench_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument(
        "--also-tenth",
        action="store_true",
        default=True,
        help="Also run a tenth of the size first (default: on).",
    )
    parser.add_argument("--only-full", dest="also_tenth", action="store_false")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {database}, {dt.date.today()}"
    )
    sizes = [(args.posts // 10, args.comments // 10)] if args.also_tenth else []
    sizes.append((args.posts, args.comments))
    print(
        f"{'posts':>8} {'comments':>9} {'file MB':>8} {'seconds':>8} {'comments/s':>11} "
        f"{'peak RSS MB':>12}"
    )
    for posts, comments in sizes:
        with tempfile.TemporaryDirectory(prefix="samizdat-bench-") as tmp:
            wxr = Path(tmp) / "bench.xml"
            write_wxr(wxr, posts, comments)
            size = wxr.stat().st_size / 1e6
            with scratch_database() as database_url:
                seconds, rss = run_import(wxr, Path(tmp), database_url)
            print(
                f"{posts:>8} {comments:>9} {size:>8.1f} {seconds:>8.1f} "
                f"{comments / seconds:>11,.0f} {rss:>12.0f}"
            )


if __name__ == "__main__":
    main()
