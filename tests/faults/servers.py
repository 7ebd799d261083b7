"""Real servers for the fault tests and bench/faults.py: Redis, PostgreSQL, samizdat.

No Django import here, so the bench can use it outside pytest.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

SAMIZDAT = [sys.executable, "-m", "samizdat"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``url`` answers; fail if the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.read_log()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout}s")


@contextmanager
def redis_server(*, save: bool = False):
    """Start redis-server on a free port; yield (url, restart, stop)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (scripts/test installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="samizdat-redis-")
    command = [binary, "--dir", directory, "--port", str(port), "--bind", "127.0.0.1",
               "--save", "3600 1" if save else "", "--appendonly", "no"]  # fmt: skip
    process = [subprocess.Popen(command, stdout=subprocess.DEVNULL)]

    def stop():
        if process[0].poll() is None:
            process[0].terminate()  # SIGTERM: with save on, Redis writes its data first
            process[0].wait(timeout=20)

    def restart():
        stop()
        process[0] = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    try:
        yield f"redis://127.0.0.1:{port}/0", restart, stop
    finally:
        stop()
        shutil.rmtree(directory, ignore_errors=True)


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found else None


@contextmanager
def postgres_cluster():
    """Start a PostgreSQL server of its own (so it may be restarted); yield (url, restart).

    ``restart(down=0.0)`` stops it at once (connections cut, as a crash or a failover
    would) and starts it again after ``down`` seconds.
    """
    binary = pg_bin()
    if binary is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing, or this is not root (scripts/test installs it)")
        pytest.skip("needs root and Debian's postgresql")
    root = Path(tempfile.mkdtemp(prefix="samizdat-pg-fault-"))
    shutil.chown(root, "postgres")
    port = free_port()

    def as_postgres(*command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)  # fmt: skip

    data = str(root / "data")
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
               "-c fsync=off -c max_connections=100")  # fmt: skip

    def start():
        as_postgres(str(binary / "pg_ctl"), "-D", data, "-l", str(root / "log"), "-w",
                    "-o", options, "start")  # fmt: skip

    def stop():
        as_postgres(str(binary / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")

    def restart(down: float = 0.0):
        stop()
        time.sleep(down)
        start()

    as_postgres(str(binary / "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
    start()
    try:
        as_postgres(str(binary / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                    "postgres", "samizdat")  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/samizdat", restart
    finally:
        with suppress(subprocess.CalledProcessError):
            stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def serving(env: dict, *options: str, command: str = "serve"):
    """Run `samizdat serve` (or demo) with one web worker; yield (base URL, process).

    Its output goes to a file, read with ``process.read_log()``: a pipe nobody reads
    fills up with the tracebacks of a fault and blocks the server's logging, which
    hangs the request threads (a harness fault, not the site's).
    """
    port = free_port()
    descriptor, log = tempfile.mkstemp(prefix="samizdat-serve-", suffix=".log")
    server = subprocess.Popen(
        [*SAMIZDAT, command, "--port", str(port), "--workers", "1", *options],
        env=env, stdout=descriptor, stderr=subprocess.STDOUT,
    )  # fmt: skip
    os.close(descriptor)
    server.read_log = lambda: Path(log).read_text(errors="replace")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", server)
        yield base, server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        Path(log).unlink(missing_ok=True)


class Load:
    """Readers and comment writers against a running samizdat, each result recorded.

    Writers post numbered comments to one post, on a fresh connection each (as browsers
    behind nginx would); readers fetch ``read_paths`` in turn. ``posts`` and ``reads`` hold
    (text or path, status or exception name, monotonic time). Used as a context manager:
    the threads run inside the ``with`` block.
    """

    def __init__(self, base: str, *, writers: int = 8, readers: int = 2,
                 read_paths: tuple[str, ...] = ("/",), timeout: float = 60,
                 tag: str = "load"):  # fmt: skip
        self.base, self.timeout, self.tag, self.read_paths = base, timeout, tag, read_paths
        self.port = int(base.rsplit(":", 1)[1])
        self.post_id = self._post_id()
        self.posts: list[tuple[str, object, float]] = []
        self.reads: list[tuple[str, object, float]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(writers)]
        self._threads += [threading.Thread(target=self._read) for _ in range(readers)]

    def _post_id(self) -> str:
        with urllib.request.urlopen(self.base + "/", timeout=30) as response:
            home = response.read().decode()
        essay = home.split('class="entry-title"><a href="', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(self.base + essay, timeout=30) as response:
            page = response.read().decode()
        return page.split('name="post_id" value="', 1)[1].split('"', 1)[0]

    def _request(self, method: str, path: str, body: str | None = None) -> object:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            connection.request(method, path, body, headers if body else {})
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError as error:  # refused, reset, timed out
            return type(error).__name__
        except http.client.HTTPException as error:  # closed before an answer
            return type(error).__name__
        finally:
            connection.close()

    def _write(self, writer: int) -> None:
        number = 0
        while not self._stop.is_set():
            number += 1
            text = f"{self.tag} {writer}-{number}"
            form = urllib.parse.urlencode({
                "post_id": self.post_id, "body": text,
                "author_name": f"Writer {writer}", "author_email": f"w{writer}@example.org",
            })  # fmt: skip
            status = self._request("POST", "/comments/post/", form)
            self.posts.append((text, status, time.monotonic()))
            if not isinstance(status, int):
                self._stop.wait(0.05)  # refused while down: do not spin

    def _read(self) -> None:
        for path in itertools.cycle(self.read_paths):
            if self._stop.is_set():
                return
            status = self._request("GET", path)
            self.reads.append((path, status, time.monotonic()))
            if not isinstance(status, int):
                self._stop.wait(0.05)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def acknowledged(self) -> set[str]:
        """Comments the server answered with the redirect to them."""
        return {text for text, status, _ in self.posts if status == 302}


def stored_comments(env: dict, prefix: str) -> set[str]:
    """The bodies of the stored comments that start with ``prefix``, read by samizdat itself."""
    code = (
        "import json; from samizdat.discussion.models import Comment; "
        f"print(json.dumps(list(Comment.objects.filter(body__startswith={prefix!r})"
        ".values_list('body', flat=True))))"
    )
    result = subprocess.run([*SAMIZDAT, "shell", "-c", code], env=env, capture_output=True,
                            text=True, timeout=120, check=True)  # fmt: skip
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@contextmanager
def readme_nginx(upstream_port: int, workdir: Path):
    """Run the README's nginx site in front of ``upstream_port``; yield its https port.

    The site is taken from the README as written (TLS, http2, the proxy headers), with
    loopback ports for 80/443, a self-signed certificate for certbot's, and the
    ``nginx.conf`` settings the README asks for beside it.
    """
    from tests.core.test_readme_deployment import SITE, code_blocks, production_section

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing, or this is not root (.ci/run installs nginx-light)")
        pytest.skip("needs root and Debian's nginx")
    (site,) = [code for lang, code in code_blocks(production_section()) if lang == "nginx"]
    cert, key = workdir / "fullchain.pem", workdir / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={SITE}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    http, https = free_port(), free_port()
    site = (site.replace(f"/etc/letsencrypt/live/{SITE}/fullchain.pem", str(cert))
            .replace(f"/etc/letsencrypt/live/{SITE}/privkey.pem", str(key))
            .replace("listen 80;", f"listen 127.0.0.1:{http};")
            .replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
            .replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream_port}"))  # fmt: skip
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    assert f"127.0.0.1:{https} ssl" in site and f":{upstream_port};" in site
    conf = workdir / "nginx.conf"
    # What the README's "Slow clients" paragraph asks for in nginx.conf.
    conf.write_text(
        f"pid {workdir}/nginx.pid;\nerror_log stderr;\nworker_processes auto;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\naccess_log off;\nclient_header_timeout 10s;\n{site}\n}}\n"
    )
    process = subprocess.Popen([nginx, "-e", "stderr", "-p", str(workdir), "-c", str(conf),
                                "-g", "daemon off;"], stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", https)) == 0:
                    break
            time.sleep(0.1)
        yield https
    finally:
        process.terminate()
        process.wait(timeout=30)


def slowloris(port: int, count: int) -> list:
    """Open ``count`` TLS connections that send half a request's headers, and no more."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    held = []
    for _ in range(count):
        connection = context.wrap_socket(socket.create_connection(("127.0.0.1", port)))
        connection.sendall(b"GET / HTTP/1.1\r\nHost: essays.example.org\r\nX-Slow: 1\r\n")
        held.append(connection)
    return held


def https_get_seconds(port: int, path: str = "/") -> tuple[int, float]:
    """One reader's GET through nginx: (status, seconds)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    started = time.monotonic()
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context)
    try:
        connection.request("GET", path, headers={"Host": "essays.example.org"})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
