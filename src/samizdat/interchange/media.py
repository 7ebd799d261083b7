"""Bring an imported blog's images home: download them into the media library, then
point the posts at the local copies (``import_wxr FILE --media download``).

Runs after the import has committed, so an interrupted download loses nothing and a
second run goes on where the first stopped: a file whose address is already in the
library (``MediaSource``) is not fetched again, and a post already pointing
at the local copy has nothing left to rewrite. Downloads run ``workers`` at a time,
at most ``PER_HOST`` to one host, each within a timeout and under the upload size cap;
every failure is reported with its reason.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from samizdat.core import safe_http
from samizdat.media import processing
from samizdat.media.models import MediaSource
from samizdat.publishing.models import Page, Post

PER_HOST = 2
TIMEOUT = 30.0
_IMAGE_URL = re.compile(
    r"""(?:src|href)=["'](https?://[^"'\s>]+?\.(?:jpe?g|png|gif|webp))(?:\?[^"'\s>]*)?["']""",
    re.IGNORECASE,
)


@dataclass
class MediaReport:
    downloaded: int = 0
    already: int = 0
    rewritten: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # url -> reason


def _hosts(entries, extra: set[str]) -> set[str]:
    hosts = set(extra)
    for entry in entries:
        for media in entry.attachments or []:
            host = urlsplit(media.get("url", "")).hostname
            if host:
                hosts.add(host)
    return hosts


def wanted(entries, hosts: set[str]) -> set[str]:
    """Every attachment, and every image in the bodies on the old site's hosts."""
    urls = set()
    for entry in entries:
        urls.update(m["url"] for m in entry.attachments or [] if m.get("url"))
        for url in _IMAGE_URL.findall(entry.body):
            if urlsplit(url).hostname in hosts:
                urls.add(url)
    return {u for u in urls if urlsplit(u).scheme in ("http", "https")}


def _fetch_url(url: str) -> str:
    """Where to fetch ``url`` from: itself, or a test server standing in for the web."""
    stand_in = getattr(settings, "SAMIZDAT_IMPORT_MEDIA_TEST_SERVER", "")
    if not stand_in:
        return url
    parts = urlsplit(url)
    return f"{stand_in.rstrip('/')}/{parts.hostname}{parts.path}"


def download(
    site_hosts: set[str],
    *,
    workers: int = 4,
    progress: Callable[[int], None] | None = None,
) -> MediaReport:
    """Download what the imported posts and pages show, and rewrite them to it."""
    entries = [*Post.objects.all(), *Page.objects.all()]
    hosts = _hosts(entries, site_hosts)
    urls = wanted(entries, hosts)
    report = MediaReport()
    local: dict[str, str] = dict(
        MediaSource.objects.filter(url__in=urls).values_list("url", "media__file")
    )
    report.already = len(local)
    todo = sorted(urls - set(local))
    limits: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
    lock = threading.Lock()
    cap = int(processing.app_settings.MAX_MB * 1024 * 1024)
    allow_private = bool(getattr(settings, "SAMIZDAT_IMPORT_MEDIA_TEST_SERVER", ""))

    def fetch(url: str) -> bytes:
        with lock:
            limit = limits[urlsplit(url).hostname or ""]
        with limit:
            answer = safe_http.request(
                "GET", _fetch_url(url), timeout=TIMEOUT, max_bytes=cap,
                allow_private=allow_private, redirects=5,
                headers={"User-Agent": "samizdat-import (media download)"},
            )  # fmt: skip
        if answer.status != 200:
            raise ValueError(f"HTTP {answer.status}")
        return answer.body

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(fetch, url): url for url in todo}
        for future in as_completed(futures):
            url = futures[future]
            try:
                data = future.result()
                name = urlsplit(url).path.rsplit("/", 1)[-1] or "image"
                media = processing.store(data, name, source_url=url)
            except processing.UploadRefused as refused:
                report.failed[url] = str(refused)
            except (safe_http.Refused, OSError, TimeoutError, ValueError) as error:
                report.failed[url] = f"{type(error).__name__}: {error}"
            else:
                # The same bytes may come from several addresses: each is remembered.
                MediaSource.objects.get_or_create(url=url, defaults={"media": media})
                local[url] = media.file.name
                report.downloaded += 1
            if progress:
                progress(1)
    report.rewritten = rewrite(entries, local)
    return report


def rewrite(entries, local: dict[str, str]) -> int:
    """Point bodies and galleries at the local copies; return how many entries changed."""
    if not local:
        return 0
    from django.core.files.storage import default_storage

    urls = {old: default_storage.url(name) for old, name in local.items()}
    pattern = re.compile("|".join(re.escape(u) for u in sorted(urls, key=len, reverse=True)))
    changed = 0
    for entry in entries:
        body = pattern.sub(lambda m: urls[m.group(0)], entry.body)
        attachments = [
            {**m, "url": urls.get(m.get("url"), m.get("url"))} for m in entry.attachments or []
        ]
        if body != entry.body or attachments != (entry.attachments or []):
            entry.body, entry.attachments = body, attachments
            entry.save()
            changed += 1
    return changed


def site_hosts(path: str) -> set[str]:
    """The old site's host names, from the export's channel (read from its start)."""
    with open(path, "rb") as handle:
        head = handle.read(256 * 1024).decode("utf-8", "replace")
    found = re.findall(r"<(?:link|wp:base_blog_url|wp:base_site_url)>\s*([^<\s]+)", head)
    return {host for url in found if (host := urlsplit(url).hostname)}
