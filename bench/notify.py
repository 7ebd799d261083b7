"""Benchmark: one approved comment to 10,000 subscribers, through the worker, over SMTP.

    python bench/notify.py [--subscribers 10000] [--posts 40]

Builds a scratch site (SQLite in a temporary data dir, or DATABASE_URL), a post with
--subscribers confirmed subscribers to its comments, and a real SMTP server on loopback
(aiosmtpd) counting what it receives. Then:

1. posting: --posts comments posted through the comment form (Django's test client,
   in-process) on a post with no subscribers and on the one with them; the medians
   show that subscribers add nothing to posting (the mail is one queued task);
2. delivery: the worker (`samizdat worker --batch`, in-process) sends the mail;
   prints mails per second, and checks every subscriber got exactly one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    port = free_port()
    os.environ.update(
        SAMIZDAT_DATA_DIR=tempfile.mkdtemp(prefix="samizdat-bench-notify-"),
        SECRET_KEY="bench-only-" + "x" * 40,
        DJANGO_SETTINGS_MODULE="samizdat.settings",
        SAMIZDAT_ALLOWED_HOSTS="testserver,localhost",
        SAMIZDAT_SMTP_HOST="127.0.0.1",
        SAMIZDAT_SMTP_PORT=str(port),
        SAMIZDAT_SMTP_TLS="off",
        SAMIZDAT_COMMENTS_FLOOD_SECONDS="0",
        SAMIZDAT_COMMENTS_RATE_NETWORK="off",
        SAMIZDAT_COMMENTS_RATE_AUTHOR="off",
    )
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "-m", "samizdat", *command], check=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from samizdat.discussion.models import Comment, CommentStatus
    from samizdat.notifications.models import Subscriber, Subscription
    from samizdat.publishing.models import Post, PostStatus

    # The SMTP server runs in its own process: in this one it would share the GIL with
    # the worker being measured.
    log = os.path.join(os.environ["SAMIZDAT_DATA_DIR"], "received.txt")
    smtp = subprocess.Popen([sys.executable, "-c", SMTP_SERVER, str(port), log])
    wait_for_port(port)
    now = timezone.now()
    quiet, busy = (
        Post.objects.create(
            title=title, slug=slug, body="An essay.", status=PostStatus.PUBLISHED,
            published_at=now - dt.timedelta(days=1),
        )
        for title, slug in (("Quiet", "quiet"), ("Busy", "busy"))
    )  # fmt: skip
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", confirmed_at=now)
        for n in range(args.subscribers)
    )
    Subscription.objects.bulk_create(
        (Subscription(subscriber=s, post=busy, kind="all") for s in subscribers),
        batch_size=2000,
    )
    for post in (quiet, busy):  # a known author: the next comments are approved at once
        Comment.objects.create(
            post=post, author_name="Bench", author_email="bench@example.org", body="Known.",
            status=CommentStatus.APPROVED,
        )  # fmt: skip
    client = Client()

    serial = iter(range(10**9))

    def post_comments(post, count: int) -> list[float]:
        times = []
        for _ in range(count):
            n = next(serial)
            started = time.perf_counter()
            response = client.post(
                "/comments/post/",
                {"post_id": post.pk, "body": f"Comment {n} on {post.slug}.",
                 "author_name": "Bench", "author_email": "bench@example.org"},
            )  # fmt: skip
            times.append(time.perf_counter() - started)
            if response.status_code != 302:
                page = response.content.decode()
                errors = re.findall(r'role="alert"[^>]*>(.{0,300})', page, re.S)
                raise SystemExit(f"posting answered {response.status_code}: {errors}")
        return times

    post_comments(quiet, 5)  # warm up
    without = post_comments(quiet, args.posts)
    with_subscribers = post_comments(busy, args.posts)
    statuses = set(Comment.objects.values_list("status", flat=True))
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor}, {dt.date.today()}"
    )
    print(f"comment statuses: {sorted(statuses)}")
    print(
        f"posting a comment (median of {args.posts}): no subscribers "
        f"{statistics.median(without) * 1000:.1f} ms, {args.subscribers:,} subscribers "
        f"{statistics.median(with_subscribers) * 1000:.1f} ms "
        f"(ratio {statistics.median(with_subscribers) / statistics.median(without):.2f})"
    )
    # One new comment for each: the newest; and no batch interval in the way.
    newest = Comment.objects.filter(post=busy).order_by("-pk").values_list("pk", flat=True)
    Subscription.objects.update(last_mailed_at=None, last_comment_id=newest[1])
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(call_command, "worker", "--batch")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    else:
        call_command("worker", "--batch")
    elapsed = time.perf_counter() - started
    smtp.terminate()
    smtp.wait()
    with open(log) as lines:
        received = Counter(line.strip() for line in lines)
    mailed = sum(1 for n in range(args.subscribers) if received[f"reader{n}@example.org"])
    twice = sum(1 for n in range(args.subscribers) if received[f"reader{n}@example.org"] > 1)
    print(
        f"delivery: {mailed:,} of {args.subscribers:,} subscribers mailed in {elapsed:.1f} s "
        f"({mailed / elapsed:,.0f} mails/s, SMTP on loopback), {twice} mailed twice"
    )


SMTP_SERVER = """
import signal, sys, time
from aiosmtpd.controller import Controller
out = open(sys.argv[2], "a", buffering=1)
class Log:
    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            out.write(address + "\\n")
        return "250 OK"
controller = Controller(Log(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
signal.signal(signal.SIGTERM, lambda *a: (controller.stop(), out.close(), sys.exit(0)))
while True:
    time.sleep(1)
"""


def wait_for_port(port: int) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the SMTP server did not start")


if __name__ == "__main__":
    main()
