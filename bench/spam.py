"""Benchmark: the spam checks' cost per comment (honeypot, timing, links and keys).

    python bench/spam.py [--comments 10000] [--keys 200]

Runs the configured pipeline in-process on comments from the shared corpus of real
YouTube comments (../shared/corpora/spam, cycled to --comments), each with a form
token, against --keys moderation and disallowed keys. Prints the Python time per
comment (median of 5 passes over all of them) and the verdicts, with the machine.
The learned filter and its accuracy figures are not there yet (see the README).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "spam"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="samizdat-bench-spam-")
    os.environ.update(SAMIZDAT_DATA_DIR=data, SECRET_KEY="bench-only-" + "x" * 40)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "samizdat.settings"
    subprocess.run([sys.executable, "-m", "samizdat", "migrate", "-v0"], check=True)
    import django

    django.setup()
    from samizdat.antispam import pipeline, tokens
    from samizdat.antispam.models import SpamKey
    from samizdat.discussion.models import Comment

    SpamKey.objects.bulk_create(
        SpamKey(kind="moderation" if n % 2 else "disallowed", text=f"key-{n:04d}-word")
        for n in range(args.keys)
    )
    rows = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += [(r["AUTHOR"], html.unescape(r["CONTENT"])) for r in csv.DictReader(handle)]
    from unittest import mock

    with mock.patch("time.time", return_value=time.time() - 60):
        with_token = tokens.new_token()  # a form opened a minute ago
    comments = [
        Comment(
            author_name=rows[n % len(rows)][0],
            author_email=f"reader{n}@example.org",
            body=rows[n % len(rows)][1],
            ip_address="192.0.2.1",
            user_agent="Mozilla/5.0 (X11; Linux x86_64)",
        )
        for n in range(args.comments)
    ]
    form = {"form_token": with_token, "contact_website": ""}
    pipeline.run(comments[0], form)  # reads the keys once, as a worker does
    passes, verdicts = [], Counter()
    for _ in range(5):
        started = time.perf_counter()
        for comment in comments:
            decision = pipeline.run(comment, form)
            verdicts[decision.verdict.name] += 1
        passes.append((time.perf_counter() - started) / len(comments))
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}"
    )
    print(f"checks: {', '.join(p.rsplit('.', 1)[-1] for p in pipeline.app_settings.CHECKS)}")
    print(f"{args.comments:,} comments, {args.keys} keys")
    print(
        f"per comment: median {statistics.median(passes) * 1e6:.1f} us "
        f"(passes: {', '.join(f'{p * 1e6:.1f}' for p in passes)} us)"
    )
    print(f"verdicts (5 passes): {dict(verdicts)}")


if __name__ == "__main__":
    main()
