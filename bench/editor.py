"""Benchmark: how soon the writer's preview follows typing, on a 5,000-word essay.

    python bench/editor.py [--words 5000] [--keys 20]

Serves a scratch site with `samizdat serve` (SQLite, 2 workers), opens the writer's
desk on a post of --words words (paragraphs, emphasis, links, footnotes) in Debian's
Chromium through Playwright, and types --keys characters one at a time, waiting for
each; for each it measures from the key press to the preview showing the new text
(the editor waits 100 ms after the last key, then asks the server). Also times the
server's render alone (in-process), median of 20.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def essay(words: int) -> str:
    rng = random.Random(1917)
    vocabulary = [
        "the", "decree", "land", "peace", "soviet", "committee", "workers", "peasants",
        "revolution", "power", "party", "congress", "state", "bread", "army", "war", "of",
        "and", "to", "in", "a",
    ]  # fmt: skip
    paragraphs, count, note = [], 0, 1
    while count < words:
        sentence = [rng.choice(vocabulary) for _ in range(60)]
        sentence[5] = f"*{sentence[5]}*"
        sentence[20] = f"[{sentence[20]}](https://example.org/{count})"
        paragraphs.append(" ".join(sentence) + f".[^{note}]")
        count += 60
        note += 1
    notes = [f"[^{n}]: Carr, *The Bolshevik Revolution*, p. {100 + n}." for n in range(1, note)]
    return "\n\n".join(paragraphs + notes) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    env = {
        **os.environ,
        "SAMIZDAT_DATA_DIR": tempfile.mkdtemp(prefix="samizdat-bench-editor-"),
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "samizdat.settings",
    }
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    samizdat = [sys.executable, "-m", "samizdat"]
    subprocess.run([*samizdat, "migrate", "-v0"], check=True, env=env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from samizdat.desk import writing
    from samizdat.publishing.models import Post

    get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password")
    text = essay(args.words)
    post = Post.objects.create(title="A long essay", slug="long", body=text)
    renders = []
    for _ in range(20):
        started = time.perf_counter()
        writing.preview(text, post)
        renders.append(time.perf_counter() - started)
    port = free_port()
    server = subprocess.Popen(
        [*samizdat, "serve", "--port", str(port), "--workers", "2", "--no-worker"], env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("SAMIZDAT_CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page()
            page.goto(base + "/admin/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", "bench-password")
            page.click("input[type=submit]")
            page.goto(f"{base}/admin/desk/write/{post.pk}/")
            body = page.locator("#id_body")
            body.click()
            page.keyboard.press("Control+End")
            shown = "window.__m = m; return document.getElementById('preview')"
            wait = f"m => {{ {shown}.textContent.includes(m); }}"
            page.keyboard.type(" Zq")
            page.wait_for_function(wait, arg="Zq")
            typed, delays = "Zq", []
            for n in range(args.keys):
                letter = "abcdefghijklmnopqrstuvwxyz"[n % 26]
                typed += letter
                started = time.perf_counter()
                page.keyboard.type(letter)
                page.wait_for_function(wait, arg=typed, polling="raf")
                delays.append(time.perf_counter() - started)
                page.wait_for_timeout(300)  # a writer's pause: each key measured alone
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}"
    )
    print(f"essay: {writing.words_in(text):,} words, {len(text):,} characters")
    print(f"server render of the preview: median {statistics.median(renders) * 1000:.0f} ms")
    print(
        f"key press to preview shown, in Chromium (includes the editor's 100 ms pause): median "
        f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
        f"over {len(delays)} keys"
    )


if __name__ == "__main__":
    main()
