"""Benchmark: samizdat serving readers and taking comments, on SQLite and on PostgreSQL+Redis.

    python bench/serve.py [--comments 1000000] [--only sqlite|postgresql] [--data DIR]

It builds a site through samizdat's own import (a WXR file with posts of 10, 1,000 and
100,000 threaded comments, and filler posts up to about a million comments in all),
starts ``samizdat serve`` (granian, one worker per core) and drives it with wrk
(``wrk -t2 -c16 -d10s --latency``, Debian's wrk, installed if missing). For each
database it prints one table: requests per second, median and 99th percentile latency,
and the largest peak RSS of a server worker, with the machine's cores and the date.

PostgreSQL (with the Redis cache) runs a server of its own on loopback, as scripts/test
does; it is skipped when PostgreSQL or redis-server cannot be found or installed.
``--data DIR`` keeps the SQLite site there and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).parent))
from import_wxr import sentence

SAMIZDAT = [sys.executable, "-m", "samizdat"]
WRK = ["wrk", "-t2", "-c16", "-d10s", "--latency"]
STATUSES = ["1"] * 17 + ["0", "spam", "trash"]


# The data set -----------------------------------------------------------------------------


def write_site(path: Path, total: int, seed: int = 11) -> dict[str, int]:
    """Write a WXR file; return {slug: number of comments} of the measured posts."""
    rng = random.Random(seed)
    measured = {"ten": 10, "thousand": 1_000, "hundred-thousand": 100_000}
    filler = max(0, total - sum(measured.values()))
    sizes = list(measured.items())
    sizes += [(f"filler-{n}", 1_000) for n in range(filler // 1_000)]
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>https://bench.example/</link>"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
        )
        # The measured posts are the newest, so the home page shows them.
        for number, (slug, count) in enumerate(reversed(sizes), start=1):
            date = start + dt.timedelta(hours=number)
            stamp = date.strftime("%Y-%m-%d %H:%M:%S")
            body = "\n\n".join(sentence(rng, 40) for _ in range(6))
            out.write(
                f"<item><title>Essay {slug}</title><wp:post_id>{number}</wp:post_id>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<wp:post_date_gmt>{stamp}</wp:post_date_gmt>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:comment_status>open</wp:comment_status><wp:post_type>post</wp:post_type>\n"
            )
            ids: list[int] = []
            for index in range(count):
                comment_id += 1
                parent = rng.choice(ids[-8:]) if ids and rng.random() < 0.35 else 0
                ids.append(comment_id)
                when = (date + dt.timedelta(seconds=index + 1)).strftime("%Y-%m-%d %H:%M:%S")
                text = escape(sentence(rng, rng.randint(10, 60)))
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 1999}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 1999}@bench.example"
                    "</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>{when}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{text}</wp:comment_content>"
                    f"<wp:comment_approved>{rng.choice(STATUSES)}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")
    return measured


def build_site(env: dict, total: int) -> None:
    subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=env, check=True)
    with tempfile.TemporaryDirectory(prefix="samizdat-bench-wxr-") as tmp:
        wxr = Path(tmp) / "site.xml"
        write_site(wxr, total)
        started = time.perf_counter()
        subprocess.run(
            [*SAMIZDAT, "import_wxr", str(wxr)], env=env, check=True, stdout=subprocess.DEVNULL
        )
        print(f"  built the site: {total:,} comments in {time.perf_counter() - started:.0f} s")


# Servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{pid}$", status, re.M):
                found.append(int(entry.name))
                found += children(int(entry.name))
    return found


def peak_rss_mb(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if match:
            peak = max(peak, int(match.group(1)))
    return peak / 1024


@contextmanager
def server(env: dict, **settings: str):
    port = free_port()
    process = subprocess.Popen(
        [*SAMIZDAT, "serve", "--port", str(port), "--workers", str(os.cpu_count() or 1)],
        env={**env, **settings},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {process.stdout.read()}") from None
            time.sleep(0.3)
    try:
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# Works ------------------------------------------------------------------------------------


def wrk(url: str) -> dict:
    out = subprocess.run([*WRK, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def latency(percent: str) -> str:
        return re.search(rf"^\s+{percent}%\s+(\S+)", out, re.M).group(1)

    return {
        "rate": rate,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def mixed_reads(base: str, paths: list[str], env: dict | None = None,
                approve_on: str | None = None) -> dict:  # fmt: skip
    """Read ``paths`` at random with wrk; with ``approve_on``, approve one held comment per
    second on that post meanwhile (from another process, as a moderator's action is).

    Returns the rate and the share of answers the page cache served.
    """
    approver = None
    if approve_on is not None:
        slug = approve_on.rstrip("/").rsplit("/", 1)[1]
        code = (
            "import time\n"
            "from samizdat.discussion.models import Comment\n"
            "from samizdat.discussion.services import moderate\n"
            f"held = list(Comment.objects.filter(post__slug={slug!r}, status='pending')"
            ".order_by('id')[:60])\n"
            "print('ready', flush=True)\n"
            "for comment in held:\n"
            "    moderate([comment], 'approved')\n"
            "    time.sleep(1)\n"
        )
        approver = subprocess.Popen(
            [*SAMIZDAT, "shell", "-c", code], env=env, stdout=subprocess.PIPE, text=True
        )
        # Readers start once the approver has started: its Django start-up (about a
        # second of CPU) is not part of what is measured, its approvals are.
        while approver.stdout.readline().strip() not in ("ready", ""):
            pass
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
            listing.write("\n".join(paths))
            listing.flush()
            out = subprocess.run(
                [*WRK, "-s", str(Path(__file__).with_name("mixed_reads.lua")), base + "/"],
                env={**os.environ, "PATHS_FILE": listing.name},
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
    finally:
        if approver is not None:
            approver.kill()
            approver.wait()
    counts = re.search(r"cached (\d+) rendered (\d+)", out)
    cached, rendered = int(counts.group(1)), int(counts.group(2))
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        "hit_rate": cached / max(1, cached + rendered),
    }


def post_comments(base: str, post_path: str) -> dict:
    """Post comments with wrk (16 connections, 10 s), each from a different reader.

    Every comment the server acknowledged (302 to #comment-ID) is recorded by the script
    (bench/post_comments.lua), so that the bench can check that each one was stored.
    """
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + post_path).read().decode()
    post_id = re.search(r'name="post_id" value="(\d+)"', page).group(1)
    token = json.loads(opener.open(base + "/identity/me/").read())["csrf_token"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as acknowledged:
        out = subprocess.run(
            [*WRK, "-s", str(Path(__file__).with_name("post_comments.lua")), base + "/"],
            env={
                **os.environ,
                "TOKEN": token,
                "COOKIE": cookie,
                "POST_ID": post_id,
                "ACK_FILE": acknowledged.name,
            },
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ids = [int(pk) for pk in acknowledged.read().split(",") if pk]
    refused = int(re.search(r"refused (\d+)", out).group(1))
    seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))
    return {
        "ids": ids,
        "refused": refused,
        "rate": len(ids) / seconds,
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
    }


ISSO_VENV = Path(tempfile.gettempdir()) / "samizdat-bench-isso"


def isso_posting() -> dict | None:
    """Isso 0.14 (PyPI, a venv of the bench's own, gunicorn with 4 workers, moderation and
    rate limits off) taking comments under the same wrk load; None if it cannot be set up."""
    python = ISSO_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "isso==0.14.0", "gunicorn"],
        capture_output=True, text=True,
    )  # fmt: skip
    if installed.returncode != 0:
        print(f"Isso: skipped (pip install failed: {installed.stderr.strip()[-300:]})")
        return None
    root = Path(tempfile.mkdtemp(prefix="samizdat-bench-isso-"))
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    config = root / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {root / 'comments.db'}\nhost = {origin}\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
        "[server]\nlisten = http://127.0.0.1:0\n"
    )
    server = subprocess.Popen(
        [str(ISSO_VENV / "bin" / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "isso.run"],
        env={**os.environ, "ISSO_SETTINGS": str(config)}, cwd=root,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(origin + "/info", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as acknowledged:
            out = subprocess.run(
                [*WRK, "-s", str(Path(__file__).with_name("isso_post.lua")), origin + "/"],
                env={**os.environ, "ORIGIN": origin, "ACK_FILE": acknowledged.name},
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            ids = [int(pk) for pk in acknowledged.read().split(",") if pk]
    finally:
        server.terminate()
        server.wait(timeout=30)
    import sqlite3

    with sqlite3.connect(root / "comments.db") as db:
        kept = {row[0] for row in db.execute("SELECT id FROM comments")}
    shutil.rmtree(root, ignore_errors=True)
    seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))
    return {
        "ids": ids,
        "lost": len(set(ids) - kept),
        "rate": len(ids) / seconds,
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
    }


def stored(env: dict, ids: list[int]) -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(ids, handle)
    code = (
        "import json; from samizdat.discussion.models import Comment; "
        f"ids = json.load(open({handle.name!r})); "
        "print(sum(Comment.objects.filter(pk__in=ids[i:i + 500]).count() "
        "for i in range(0, len(ids), 500)))"
    )
    out = subprocess.run(
        [*SAMIZDAT, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    os.unlink(handle.name)
    return int(out.stdout.strip().splitlines()[-1])


PLANS = """
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.services import visible_filter
from samizdat.discussion.threads import toplevel_comments
from samizdat.publishing.models import Post
post = Post.objects.get(slug="hundred-thousand")
top = toplevel_comments(post)
roots = list(top.values_list("pk", flat=True)[:50])
approved = Comment.objects.filter(status=CommentStatus.APPROVED).order_by("-created_at", "-id")
for name, queryset in [
    ("first page of threads", top[:50]),
    ("page 500 of threads", top[24950:25000]),
    ("replies in a page of threads", Comment.objects.filter(
        visible_filter([]), root__in=roots).order_by("root_id", "created_at", "id")),
    ("the site's comment feed", approved[:30]),
    ("a post's comment feed", approved.filter(post=post)[:30]),
]:
    print("  " + name + ":")
    print("    " + queryset.explain().replace("\\n", "\\n    "))
"""


def query_plans(env: dict) -> None:
    """Print the plans of the queries a page of a 100,000-comment thread runs."""
    out = subprocess.run(
        [*SAMIZDAT, "shell", "-c", PLANS], env=env, capture_output=True, text=True, check=True
    )
    print("Query plans (the 100,000-comment post):")
    print(
        "\n".join(
            line
            for line in out.stdout.splitlines()
            if not line.endswith("automatically (use -v 2 for details).")
        )
    )


def filler_paths(base: str, count: int) -> list[str]:
    """The addresses of ``count`` filler posts (1,000 comments each), from the archive."""
    found: list[str] = []
    page = 1
    while len(found) < count:
        url = base + "/" + (f"page/{page}/" if page > 1 else "")
        try:
            html = urllib.request.urlopen(url).read().decode()
        except urllib.error.HTTPError:  # past the last page
            break
        more = re.findall(r'href="(/\d{4}/\d{2}/\d{2}/filler-\d+/)"', html)
        if not more:
            break
        found += [path for path in dict.fromkeys(more) if path not in found]
        page += 1
    return found[:count]


def measure(env: dict, title: str) -> None:
    query_plans(env)
    rows: list[tuple[str, str, str, str, str]] = []

    def path_of(base: str, slug: str) -> str:
        home = urllib.request.urlopen(base + f"/?s=Essay+{slug}").read().decode()
        return re.search(rf'href="(/\d{{4}}/\d{{2}}/\d{{2}}/{slug}/)"', home).group(1)

    def row(name: str, url: str, pids: list[int]) -> None:
        result = wrk(url)
        note = f" ({result['errors']} errors)" if result["errors"] else ""
        rows.append(
            (
                name + note,
                f"{result['rate']:,.0f}",
                result["p50"],
                result["p99"],
                f"{peak_rss_mb(pids):.0f}",
            )
        )
        print(f"  {rows[-1]}", flush=True)

    with server(env) as (base, process):
        pids = children(process.pid)
        ten, thousand = path_of(base, "ten"), path_of(base, "thousand")
        hundred = path_of(base, "hundred-thousand")
        for path in (ten, "/", "/feed/"):
            urllib.request.urlopen(base + path).read()  # kept by the cache
        row("post page, 10 comments, cached", base + ten, pids)
        row("home page, cached", base + "/", pids)
        row("post feed, cached", base + "/feed/", pids)
        # Readers spread over 100 posts, all kept; then the same while one comment a
        # second is approved on one of them (per-entry invalidation keeps the others).
        spread = filler_paths(base, 100)
        for path in spread:
            urllib.request.urlopen(base + path).read()
        for name, approve_on in (("all cached", None), ("1 approval/s", spread[0])):
            result = mixed_reads(base, spread, env, approve_on)
            rows.append((
                f"100 posts at random, {name}: {result['hit_rate']:.1%} from the cache",
                f"{result['rate']:,.0f}", result["p50"], result["p99"],
                f"{peak_rss_mb(pids):.0f}",
            ))  # fmt: skip
            print(f"  {rows[-1]}", flush=True)
    with server(env, SAMIZDAT_PAGE_CACHE="off") as (base, process):
        pids = children(process.pid)
        row("post page, 10 comments, uncached", base + ten, pids)
        row("first page of the 1,000-comment post, uncached", base + thousand, pids)
        row("first page of the 100,000-comment post, uncached", base + hundred, pids)
        row("home page, uncached", base + "/", pids)
        row("post feed, uncached", base + "/feed/", pids)
    with server(env, SAMIZDAT_PAGE_CACHE="off", SAMIZDAT_COMMENTS_PER_PAGE="100000") as (
        base,
        process,
    ):
        pids = children(process.pid)
        row("whole 1,000-comment thread on one page, uncached", base + thousand, pids)
    with server(
        env,
        SAMIZDAT_PROXY_HOPS="1",
        SAMIZDAT_COMMENTS_MODERATION="previously_approved",
        # Throughput, not the limits: a load from one machine is one network.
        SAMIZDAT_COMMENTS_RATE_NETWORK="off",
        SAMIZDAT_COMMENTS_RATE_AUTHOR="off",
    ) as (base, process):
        pids = children(process.pid)
        result = post_comments(base, ten)
        kept = stored(env, result["ids"])
        lost = len(result["ids"]) - kept
        verdict = "none lost" if lost == 0 else f"FAILURE: {lost} acknowledged but not stored"
        if result["refused"]:
            verdict += f"; {result['refused']} refused"
        rows.append(
            (
                f"comments posted ({len(result['ids']):,} from 16 connections): {verdict}",
                f"{result['rate']:,.0f}",
                result["p50"],
                result["p99"],
                f"{peak_rss_mb(pids):.0f}",
            )
        )
        print(f"  {rows[-1]}", flush=True)
    if "DATABASE_URL" not in env:
        # Side by side with Isso, on the same machine in the same run: moderation and
        # rate limits off for both, the same wrk load.
        with server(
            env,
            SAMIZDAT_PROXY_HOPS="1",
            SAMIZDAT_COMMENTS_MODERATION="none",
            SAMIZDAT_COMMENTS_RATE_NETWORK="off",
            SAMIZDAT_COMMENTS_RATE_AUTHOR="off",
            SAMIZDAT_COMMENTS_FLOOD_SECONDS="0",
        ) as (base, process):
            pids = children(process.pid)
            ours = post_comments(base, ten)
            ours_rss = peak_rss_mb(pids)
            ours_lost = len(ours["ids"]) - stored(env, ours["ids"])
        theirs = isso_posting()
        rows.append((
            f"side by side: samizdat posting, moderation off ({ours_lost} lost)",
            f"{ours['rate']:,.0f}", ours["p50"], ours["p99"], f"{ours_rss:.0f}",
        ))  # fmt: skip
        if theirs is not None:
            rows.append((
                f"side by side: Isso 0.14, gunicorn -w 4 ({theirs['lost']} lost); "
                f"samizdat/Isso {ours['rate'] / max(theirs['rate'], 0.001):.2f}x",
                f"{theirs['rate']:,.0f}", theirs["p50"], theirs["p99"], "-",
            ))  # fmt: skip
        for line in rows[-2:]:
            print(f"  {line}", flush=True)
    print(f"\n{title}")
    print(f"{'work':<62} {'req/s':>8} {'p50':>9} {'p99':>9} {'peak RSS MB':>12}")
    for name, rate, p50, p99, rss in rows:
        print(f"{name:<62} {rate:>8} {p50:>9} {p99:>9} {rss:>12}")
    print()


# Databases --------------------------------------------------------------------------------


def base_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SAMIZDAT_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(SAMIZDAT_DATA_DIR=str(data), SECRET_KEY="bench-only-" + "x" * 40)
    return env


def run_sqlite(total: int, data: Path | None, measure=measure) -> None:
    keep = data is not None
    data = data or Path(tempfile.mkdtemp(prefix="samizdat-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    env = base_env(data)
    marker = data / f"bench-site-{total}"
    print("SQLite: building the site" if not marker.exists() else "SQLite: reusing the site")
    if not marker.exists():
        build_site(env, total)
        marker.touch()
    else:
        # A kept site may predate the code's migrations.
        subprocess.run([*SAMIZDAT, "migrate", "-v0"], env=env, check=True)
    try:
        measure(env, f"SQLite (embedded default: page cache in files), {total:,} comments")
    finally:
        if not keep:
            shutil.rmtree(data, ignore_errors=True)


def apt_install(*packages: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return result.returncode == 0


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return found[-1] if found else None


def run_postgresql(total: int, measure=measure) -> None:
    if pg_bin() is None:
        apt_install("postgresql")
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    if pg_bin() is None or not shutil.which("redis-server") or os.geteuid() != 0:
        print("PostgreSQL + Redis: skipped (needs root, postgresql and redis-server)\n")
        return
    root = Path(tempfile.mkdtemp(prefix="samizdat-bench-pg-"))
    shutil.chown(root, "postgres")
    pg_port, redis_port = free_port(), free_port()

    def as_postgres(*command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], check=True, stdout=subprocess.DEVNULL
        )

    binary = pg_bin()
    as_postgres(
        str(binary / "initdb"),
        "-D",
        str(root / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    as_postgres(
        str(binary / "pg_ctl"),
        "-D",
        str(root / "data"),
        "-l",
        str(root / "log"),
        "-w",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {pg_port} "
        f"-c unix_socket_directories={root} -c max_connections=200",
        "start",
    )
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
    )
    data = Path(tempfile.mkdtemp(prefix="samizdat-bench-data-"))
    try:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(binary / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg_port),
                "samizdat",
            ],
            check=True,
        )
        env = base_env(data)
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{pg_port}/samizdat",
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        )
        print("PostgreSQL: building the site")
        build_site(env, total)
        measure(env, f"PostgreSQL + Redis (page cache in Redis), {total:,} comments")
    finally:
        redis.terminate()
        as_postgres(str(binary / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments in all")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--data", type=Path, help="keep (and reuse) the SQLite site here")
    args = parser.parse_args()
    if not shutil.which("wrk") and not apt_install("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {dt.date.today()}; "
        f"server: samizdat serve, {os.cpu_count()} granian workers; client: {' '.join(WRK)}\n"
    )
    if args.only in (None, "sqlite"):
        run_sqlite(args.comments, args.data)
    if args.only in (None, "postgresql"):
        run_postgresql(args.comments)


if __name__ == "__main__":
    main()
