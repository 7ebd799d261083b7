"""Benchmark: how well the spam checks sort unseen comments, and what they cost per comment.

    python bench/spam.py [--comments 10000] [--keys 200] [--folds 10]

Accuracy, on the shared corpus of real YouTube comments (../shared/corpora/spam: three
videos, each comment labelled spam or not). Every comment is judged by the content
checks (links and keys, then the learned filter) with a model that never saw it:

- cross-validation: the comments of all three videos in --folds stratified folds, each
  fold judged by a model trained on the others;
- held-out video: each video judged by a model trained on the other two (harder: each
  video's spam differs, and the three were labelled by different hands).

Precision and recall are of the verdict "spam" (what goes to the Spam queue); "held"
counts real comments held for moderation (the cost to readers) and spam held instead of
filed (kept from readers all the same).

Training: ``learning.train()`` on --train decided comments (the corpus cycled), with its
time, the process's peak memory and the stored model's size.

Speed: the whole configured pipeline (honeypot, timing, links and keys against --keys
keys, the learned filter with a model trained by ``learning.train()`` on the corpus and
stored in the database, Akismet off), in-process, on --comments comments cycled from the
corpus. Prints the Python time per comment (median of 5 passes), with the machine.
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
from unittest import mock

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "spam"


def load_corpus() -> dict[str, list[tuple[str, str, bool]]]:
    videos = {}
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            videos[path.stem] = [
                (row["AUTHOR"], html.unescape(row["CONTENT"]), row["label"] == "1")
                for row in csv.DictReader(handle)
            ]
    return videos


class Tally:
    """Counts of verdicts against labels."""

    def __init__(self):
        self.counts = Counter()

    def add(self, verdict: str, spam: bool) -> None:
        self.counts[verdict, spam] += 1

    def line(self, name: str) -> str:
        c = self.counts
        filed, wrongly_filed = c["SPAM", True], c["SPAM", False]
        spam_total = sum(n for (_verdict, spam), n in c.items() if spam)
        ham_total = sum(n for (_verdict, spam), n in c.items() if not spam)
        precision = filed / max(1, filed + wrongly_filed)
        recall = filed / max(1, spam_total)
        kept = (filed + c["HOLD", True]) / max(1, spam_total)
        return (
            f"{name:<34} precision {precision:.3f}  recall {recall:.3f}  "
            f"false positives {wrongly_filed:>3}  "
            f"real comments held {c['HOLD', False]:>3} of {ham_total} "
            f"({c['HOLD', False] / max(1, ham_total):.1%})  "
            f"spam kept from readers {kept:.3f}"
        )


def judge(model, rows, tally: Tally) -> None:
    from samizdat.antispam import learning, pipeline
    from samizdat.discussion.models import Comment

    with mock.patch.object(learning, "current", return_value=model):
        for author, body, spam in rows:
            comment = Comment(author_name=author, body=body)
            tally.add(pipeline.run(comment, {}, content_only=True).verdict.name, spam)


def fit(rows):
    from samizdat.antispam import learning

    return learning.fit(((body, author, "", ""), spam) for author, body, spam in rows)


def accuracy(videos, folds: int) -> None:
    from sklearn.model_selection import StratifiedKFold

    every = [row for rows in videos.values() for row in rows]
    tally = Tally()
    splitter = StratifiedKFold(folds, shuffle=True, random_state=2026)
    for train, test in splitter.split(every, [spam for _a, _b, spam in every]):
        judge(fit([every[i] for i in train]), [every[i] for i in test], tally)
    print(f"{len(every):,} comments ({sum(r[2] for r in every)} spam), three videos")
    print(tally.line(f"cross-validation, {folds} folds"))
    overall = Tally()
    for name, rows in videos.items():
        others = [row for other, rest in videos.items() if other != name for row in rest]
        tally = Tally()
        judge(fit(others), rows, tally)
        overall.counts += tally.counts
        print(tally.line(f"held out: {name}"))
    print(overall.line("held out: the three together"))


def store_decided(rows, count: int, title: str) -> None:
    """Store ``count`` comments cycled from ``rows``, each with its label as its status."""
    from django.utils import timezone

    from samizdat.discussion.models import Comment, CommentStatus
    from samizdat.publishing.models import Post, PostStatus

    post = Post.objects.create(
        title=title, status=PostStatus.PUBLISHED, published_at=timezone.now(), body="."
    )
    Comment.objects.bulk_create(
        (
            Comment(
                post=post,
                author_name=rows[n % len(rows)][0],
                # Each copy differs a little, as real comments do.
                body=rows[n % len(rows)][1] + (f" #{n // len(rows)}" if n >= len(rows) else ""),
                status=CommentStatus.SPAM if rows[n % len(rows)][2] else CommentStatus.APPROVED,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def speed(videos, comments_wanted: int, keys: int) -> None:

    from samizdat.antispam import learning, pipeline, tokens
    from samizdat.antispam.models import SpamKey
    from samizdat.discussion.models import Comment

    SpamKey.objects.bulk_create(
        SpamKey(kind="moderation" if n % 2 else "disallowed", text=f"key-{n:04d}-word")
        for n in range(keys)
    )
    rows = [row for rows in videos.values() for row in rows]
    store_decided(rows, len(rows), "Bench")
    training = learning.train()
    print(
        f"model: trained on {training.spam} spam and {training.ham} approved comments "
        f"in {training.seconds:.2f} s; {len(learning.current().weights):,} features"
    )
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
        for n in range(comments_wanted)
    ]
    form = {"form_token": with_token, "contact_website": ""}
    pipeline.run(comments[0], form)  # reads the keys and the model once, as a worker does
    passes, verdicts = [], Counter()
    for _ in range(5):
        started = time.perf_counter()
        for comment in comments:
            verdicts[pipeline.run(comment, form).verdict.name] += 1
        passes.append((time.perf_counter() - started) / len(comments))
    print(f"checks: {', '.join(p.rsplit('.', 1)[-1] for p in pipeline.app_settings.CHECKS)}")
    print(f"{comments_wanted:,} comments, {keys} keys")
    print(
        f"per comment: median {statistics.median(passes) * 1e6:.1f} us "
        f"(passes: {', '.join(f'{p * 1e6:.1f}' for p in passes)} us)"
    )
    print(f"verdicts (5 passes): {dict(verdicts)}")


def training_cost(videos, count: int) -> None:
    """Time ``learning.train()`` on ``count`` decided comments (the corpus, cycled)."""
    import resource

    from samizdat.antispam import learning
    from samizdat.antispam.models import SpamModel

    store_decided([row for rows in videos.values() for row in rows], count, "Training")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    training = learning.train()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = len(SpamModel.objects.get().data)
    print(
        f"training on {training.spam + training.ham:,} decided comments "
        f"(SAMIZDAT_SPAM_TRAINING_LIMIT {learning.app_settings.TRAINING_LIMIT:,} of each kind): "
        f"{training.seconds:.1f} s, peak memory {max(before, after) / 1024:.0f} MB "
        f"(+{(after - before) / 1024:.0f} MB), stored model {size / 1e6:.1f} MB, "
        f"{len(learning.current().weights):,} features"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--train", type=int, default=20_000, help="decided comments to train on")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="samizdat-bench-spam-")
    os.environ.update(SAMIZDAT_DATA_DIR=data, SECRET_KEY="bench-only-" + "x" * 40)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "samizdat.settings"
    subprocess.run([sys.executable, "-m", "samizdat", "migrate", "-v0"], check=True)
    import django

    django.setup()
    from samizdat.antispam.app_settings import app_settings

    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}"
    )
    print(
        f"thresholds: spam at score >= {app_settings.SPAM_SCORE}, "
        f"held at >= {app_settings.HOLD_SCORE}, more than {app_settings.MAX_LINKS} links held"
    )
    videos = load_corpus()
    accuracy(videos, args.folds)
    speed(videos, args.comments, args.keys)
    training_cost(videos, args.train)


if __name__ == "__main__":
    main()
