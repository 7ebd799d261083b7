"""Kept pages and the site's generation, shared by the WSGI hit path and the middleware.

A page is kept with the generation it was rendered under. Any change readers could see
replaces the generation with a new random token, so every page kept before it is stale
at once, for every worker on every machine: the generation is read on each request. On
one machine it lives in a memory-mapped file in the data directory (a read costs well
under a microsecond); with Redis it lives in Redis, shared by all machines.

Each worker keeps the pages it served in memory (``LOCAL_BYTES``), in front of the shared
store (the ``pages`` cache: files in the data directory, or Redis), so that a page rendered
by one worker is served by all without being rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http.cookie import parse_cookie

from samizdat.pagecache.app_settings import app_settings

logger = logging.getLogger("samizdat.pagecache")

GENERATION_BYTES = 16
GENERATION_KEY = "samizdat:pagecache:generation"
# Where the hit path leaves the generation it read for the middleware, on a miss: with
# Redis, reading it again would be a second round trip for the same request.
#: Set by the hit path when the store could not be read: the page is not kept either.
DOWN_ENVIRON = "samizdat.page_cache_down"
GENERATION_ENVIRON = "samizdat.pagecache.generation"


@dataclass(slots=True)
class Entry:
    """A response as the hit path sends it again."""

    generation: bytes
    expires: float  # time.time() after which the page is rendered again
    status: str  # "200 OK"
    headers: list[tuple[str, str]]  # includes ETag, Last-Modified, Cache-Control
    body: bytes
    etag: str
    modified: float  # Last-Modified, as a timestamp

    @property
    def size(self) -> int:
        return len(self.body) + 512


class FileGeneration:
    """The generation shared by processes on one machine: 16 bytes of a mapped file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.map: mmap.mmap | None = None
        self.lock = threading.Lock()

    def _open(self) -> mmap.mmap:
        with self.lock:
            if self.map is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
                try:
                    if os.fstat(fd).st_size < GENERATION_BYTES:
                        os.write(fd, os.urandom(GENERATION_BYTES))
                    self.map = mmap.mmap(fd, GENERATION_BYTES)
                finally:
                    os.close(fd)
            return self.map

    def current(self) -> bytes:
        try:
            return (self.map or self._open())[:GENERATION_BYTES]
        except OSError as exc:
            # E.g. created by another user (a command run as root): serve uncached pages
            # rather than fail, and say why.
            _unusable(self.path, exc)
            return os.urandom(GENERATION_BYTES)  # matches nothing kept: every page renders

    def bump(self) -> None:
        try:
            # A reader may see half a new token: that is another unknown token, so a miss.
            (self.map or self._open())[:GENERATION_BYTES] = os.urandom(GENERATION_BYTES)
        except OSError as exc:
            _unusable(self.path, exc)


def _unusable(path: Path, exc: OSError) -> None:
    logger.error(
        "The page cache cannot use %s (%s): pages are rendered for every request, and "
        "changes made here do not reach pages kept by other processes. Make the data "
        "directory writable by the user samizdat runs as.",
        path,
        exc,
    )


class RedisGeneration:
    """The generation in Redis, for several machines: one GET per request.

    Read with a plain redis-py client (one per process, made after granian forks), not
    through Django's cache API, which builds a client object for every call.
    """

    def __init__(self, url: str):
        self.url = url
        self.client = None
        self.pid = 0
        # Set when Redis could not be reached: a change made meanwhile could not make
        # kept pages stale, and a restarted Redis may bring back the old generation
        # (Debian saves its data on shutdown). The first good contact starts a new one.
        self.was_down = False

    def _client(self):
        if self.client is None or self.pid != os.getpid():
            import redis

            self.client = redis.Redis.from_url(self.url)
            self.pid = os.getpid()
        return self.client

    def current(self) -> bytes:
        try:
            client = self._client()
            if self.was_down:
                fresh = os.urandom(GENERATION_BYTES)
                client.set(GENERATION_KEY, fresh)
                self.was_down = False
                return fresh
            value = client.get(GENERATION_KEY)
            if value is None:
                # Lost (evicted, or a new Redis): start a new one; old pages stay stale.
                client.set(GENERATION_KEY, os.urandom(GENERATION_BYTES), nx=True)
                value = client.get(GENERATION_KEY) or b""
            return value
        except Exception:
            self.was_down = True
            raise

    def bump(self) -> None:
        try:
            self._client().set(GENERATION_KEY, os.urandom(GENERATION_BYTES))
        except Exception:
            self.was_down = True
            raise


def _settings_fingerprint() -> str:
    """Pages rendered under other settings (another deployment's) are never served."""
    names = sorted(name for name in dir(settings) if name.startswith("SAMIZDAT_"))
    values = repr([(name, getattr(settings, name)) for name in names]).encode()
    return hashlib.blake2b(values, digest_size=8).hexdigest()


_SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, slots=True)
class _Config:
    prefix: str
    static_url: str
    ssl_header: tuple[str, str] | None
    forwarded_host: bool
    private_cookies: tuple[str, ...]


class PageStore:
    """Find and keep pages; one per process (``store``)."""

    def __init__(self):
        self.local: OrderedDict[str, Entry] = OrderedDict()
        self.local_bytes = 0
        self.lock = threading.Lock()
        self._generation: FileGeneration | RedisGeneration | None = None
        self._config: _Config | None = None

    @property
    def generation(self) -> FileGeneration | RedisGeneration:
        if self._generation is None:
            cache = settings.CACHES[app_settings.ALIAS]
            if "redis" in cache["BACKEND"].lower():
                location = cache["LOCATION"]
                url = location[0] if isinstance(location, list | tuple) else location
                self._generation = RedisGeneration(url.split(",")[0])
            else:
                self._generation = FileGeneration(app_settings.GENERATION_FILE)
        return self._generation

    def key(self, environ: dict) -> str | None:
        """Return the key of a request whose answer anyone may share, else None."""
        if environ.get("REQUEST_METHOD") not in _SAFE_METHODS or environ.get("QUERY_STRING"):
            return None
        if "HTTP_AUTHORIZATION" in environ:
            return None
        config = self._config or self._configure()
        cookie = environ.get("HTTP_COOKIE")
        if cookie and _has_private_cookie(cookie, config.private_cookies):
            return None
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
        if path.startswith(config.static_url):
            return None
        # The scheme and host as Django's request.scheme and get_host() see them.
        header = config.ssl_header
        forwarded = environ.get(header[0]) if header else None
        if forwarded is not None:
            # As HttpRequest.scheme reads it: the first of a comma-separated list.
            scheme = "https" if forwarded.split(",", 1)[0].strip() == header[1] else "http"
        else:
            scheme = environ.get("wsgi.url_scheme", "http")
        host = config.forwarded_host and environ.get("HTTP_X_FORWARDED_HOST")
        host = (host or environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        return f"{config.prefix}|{scheme}|{host}|{path}"

    def _configure(self) -> _Config:
        """Read the settings the hit path needs once: it runs before Django on every request."""
        self._config = _Config(
            prefix=_settings_fingerprint(),
            static_url=settings.STATIC_URL,
            ssl_header=settings.SECURE_PROXY_SSL_HEADER,
            forwarded_host=settings.USE_X_FORWARDED_HOST,
            private_cookies=(settings.SESSION_COOKIE_NAME, "messages"),
        )
        return self._config

    def lookup(self, key: str, generation: bytes | None = None) -> Entry | None:
        """Return the page kept under ``key`` if it is of ``generation`` (default: the
        current one) and has not expired, else None."""
        if generation is None:
            generation = self.generation.current()
        entry = self.local.get(key)
        if entry is None or entry.generation != generation:
            entry = caches[app_settings.ALIAS].get(_shared_key(key))
            if entry is None or entry.generation != generation:
                return None
            self._keep_locally(key, entry)
        if entry.expires < time.time():
            return None
        return entry

    def save(self, key: str, entry: Entry) -> None:
        timeout = max(1, int(entry.expires - time.time()))
        caches[app_settings.ALIAS].set(_shared_key(key), entry, timeout)
        self._keep_locally(key, entry)

    def _keep_locally(self, key: str, entry: Entry) -> None:
        with self.lock:
            old = self.local.pop(key, None)
            if old is not None:
                self.local_bytes -= old.size
            self.local[key] = entry
            self.local_bytes += entry.size
            while self.local_bytes > app_settings.LOCAL_BYTES and self.local:
                _key, dropped = self.local.popitem(last=False)
                self.local_bytes -= dropped.size

    def _forget_local(self) -> None:
        with self.lock:
            self.local.clear()
            self.local_bytes = 0

    def reset(self) -> None:
        """Forget what was read from the settings (they changed in this process)."""
        self._config = None
        self._generation = None
        self._forget_local()

    def invalidate(self) -> None:
        """Make every kept page stale, in every process on every machine."""
        self.generation.bump()
        self._forget_local()


def _shared_key(key: str) -> str:
    return "page:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _has_private_cookie(header: str, names: tuple[str, ...]) -> bool:
    if not any(name in header for name in names):
        return False
    # Parsed as Django parses it, so that what Django would call a session is one here.
    cookies = parse_cookie(header)
    return any(name in cookies for name in names)


store = PageStore()
_remembered: dict[str, tuple[bytes, object]] = {}


def remember(name: str, compute):
    """Return ``compute()``, computed once per process until anything on the site changes.

    For small things every reader page shows (the login buttons, the navigation): the
    same generation that makes kept pages stale makes these stale too.
    """
    try:
        generation = store.generation.current()
    except Exception:
        # The store is down: nothing can say whether the site changed, so compute afresh.
        from samizdat.core.degrade import warn_once_a_minute

        warn_once_a_minute(logging.getLogger("samizdat.pagecache"), "reading the page cache")
        return compute()
    kept = _remembered.get(name)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = compute()
    _remembered[name] = (generation, value)
    return value


def invalidate() -> None:
    """Make every kept page and fragment stale (call after a change readers would see).

    Done with the page cache off too: comment fragments are keyed by the generation.
    A store that is down is logged, never raised: the change itself is already saved.
    """
    try:
        store.invalidate()
    except Exception:
        from samizdat.core.degrade import warn_once_a_minute

        warn_once_a_minute(logging.getLogger("samizdat.pagecache"), "invalidating the page cache")
