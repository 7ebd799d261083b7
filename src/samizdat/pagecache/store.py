"""Kept pages and the generations they were rendered under, shared by the hit path and
the middleware.

A page is kept with the generations it depends on, and is stale once any of them is
replaced by a new random token, for every worker on every machine (generations are read
on each request):

- ``site``: anything every page may show (a post's title, the navigation, the login
  buttons, the settings). Replacing it makes every kept page stale.
- ``post:<id>`` / ``page:<id>``: one entry's discussion. A comment on post A replaces
  A's generation (and ``lists``) and leaves post B's kept page valid.
- ``lists``: pages that show many entries' discussions (home, archives, search, feeds,
  comment counts). Every comment replaces it.

On one machine the generations live in a memory-mapped file in the data directory (a
slot per name: ``site``, ``lists``, then entries hashed into 4,096 slots; two entries
sharing a slot only makes one's page re-render needlessly); with Redis they live in
Redis, shared by all machines, read in one round trip.

Each worker keeps the pages it served in memory (``LOCAL_BYTES``), in front of the shared
store (the ``pages`` cache: files in the data directory, or Redis), so that a page rendered
by one worker is served by all without being rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import select
import threading
import time
import zlib
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
#: Set by the hit path when the store could not be read: the page is not kept either.
DOWN_ENVIRON = "samizdat.page_cache_down"

#: Set (by ``ReaderMarkersMiddleware``) for staff, whose pages are rendered for them.
STAFF_COOKIE = "samizdat_staff"
#: Set for readers whose session holds anything of theirs: their pages ask for it.
PERSONAL_COOKIE = "samizdat_personal"

SITE = "site"
LISTS = "lists"
ENTRY_SLOTS = 4096


def entry_generation(entry) -> str:
    """The name of a post's or page's own generation: ``post:12``, ``page:3``."""
    return f"{entry._meta.model_name}:{entry.pk}"


@dataclass(slots=True)
class Entry:
    """A response as the hit path sends it again."""

    generation: bytes  # the tokens of ``depends``, joined
    depends: tuple[str, ...]  # ("site", "post:12") or ("site", "lists")
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
    """Generations shared by processes on one machine: 16-byte slots of a mapped file."""

    SIZE = (2 + ENTRY_SLOTS) * GENERATION_BYTES

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
                    size = os.fstat(fd).st_size
                    if size < self.SIZE:  # new, or from before entries had slots
                        os.lseek(fd, size, os.SEEK_SET)
                        os.write(fd, os.urandom(self.SIZE - size))
                    self.map = mmap.mmap(fd, self.SIZE)
                finally:
                    os.close(fd)
            return self.map

    @staticmethod
    def _offset(name: str) -> int:
        if name == SITE:
            slot = 0
        elif name == LISTS:
            slot = 1
        else:
            slot = 2 + zlib.crc32(name.encode()) % ENTRY_SLOTS
        return slot * GENERATION_BYTES

    def tokens(self, names: tuple[str, ...]) -> bytes:
        """The current tokens of ``names``, joined."""
        try:
            data = self.map or self._open()
            return b"".join(
                data[(at := self._offset(name)) : at + GENERATION_BYTES] for name in names
            )
        except OSError as exc:
            # E.g. created by another user (a command run as root): serve uncached pages
            # rather than fail, and say why.
            _unusable(self.path, exc)
            return os.urandom(GENERATION_BYTES)  # matches nothing kept: every page renders

    def bump(self, names: tuple[str, ...] = (SITE,)) -> None:
        try:
            data = self.map or self._open()
            for name in names:
                at = self._offset(name)
                # A reader may see half a new token: another unknown token, so a miss.
                data[at : at + GENERATION_BYTES] = os.urandom(GENERATION_BYTES)
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
    """The generations in Redis, for several machines, mirrored in each process.

    Every replacement is published on a channel in the same transaction that writes it,
    and each process listens there and keeps the tokens it has read. Redis sends the
    message to every listener as it answers the writer, so by the time the request that
    made a change has answered, the news is in every listening process's socket; a read
    then costs a poll of that socket instead of a round trip. A process that is not
    listening (starting, after an error) reads Redis every time, as before.

    Read with plain redis-py clients (made after granian forks), not through Django's
    cache API, which builds a client object for every call.
    """

    #: How long the listener may go without hearing from Redis before it is asked
    #: (a PING) and, if that goes unanswered as long again, given up.
    QUIET_SECONDS = 2.0

    def __init__(self, url: str):
        self.url = url
        self.client = None
        self.pid = 0
        # Set when Redis could not be reached: a change made meanwhile could not make
        # kept pages stale, and a restarted Redis may bring back the old generation
        # (Debian saves its data on shutdown). The first good contact starts a new one.
        self.was_down = False
        self.lock = threading.Lock()
        self.listener: _Listener | None = None
        self.listen_after = 0.0
        self.known: dict[str, bytes] = {}  # tokens read or heard while listening
        self.heard = 0  # messages applied: a read that overlapped one is not kept

    def _client(self):
        if self.client is None or self.pid != os.getpid():
            import redis

            # Timeouts: a Redis that stops answering (a frozen host) fails a read, which
            # renders the page, instead of holding the request.
            self.client = redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
            self.pid = os.getpid()
            self.listener = None  # a parent's connection is not this process's
            self.known = {}
        return self.client

    @staticmethod
    def _key(name: str) -> str:
        return GENERATION_KEY if name == SITE else f"{GENERATION_KEY}:{name}"

    def tokens(self, names: tuple[str, ...]) -> bytes:
        """The current tokens of ``names``, joined: from the mirror, or one round trip."""
        try:
            client = self._client()
            if self.was_down:
                # Changes made while Redis was unreachable replaced no generation, and a
                # restarted Redis may hold old ones: start the site anew.
                self._replace(client, (SITE,))
                self.was_down = False
            listening = self._listening()
            if listening:
                known = self.known
                try:
                    return b"".join([known[name] for name in names])
                except KeyError:
                    seen = self.heard
            values = client.mget([self._key(name) for name in names])
            if None in values:
                # Lost (evicted, a new Redis) or never made: start one; pages kept under
                # no token cannot match it.
                for name, value in zip(names, values, strict=True):
                    if value is None:
                        client.set(self._key(name), os.urandom(GENERATION_BYTES), nx=True)
                values = client.mget([self._key(name) for name in names])
            if listening:
                with self.lock:
                    # A message applied since the read may be newer than what it read.
                    if self._heard_safely() and self.heard == seen:
                        self.known.update(zip(names, values, strict=True))
            return b"".join(value or b"" for value in values)
        except Exception:
            self._down()
            raise

    def bump(self, names: tuple[str, ...] = (SITE,)) -> None:
        try:
            self._replace(self._client(), names)
        except Exception:
            self._down()
            raise

    def _replace(self, client, names: tuple[str, ...]) -> None:
        """Write new tokens for ``names`` and tell every listener, in one transaction."""
        fresh = {name: os.urandom(GENERATION_BYTES) for name in names}
        pipe = client.pipeline(transaction=True)
        pipe.mset({self._key(name): token for name, token in fresh.items()})
        pipe.publish(GENERATION_CHANNEL, _news(fresh))
        pipe.execute()
        with self.lock:
            # Read again (not set): another process's newer token may already be here.
            for name in names:
                self.known.pop(name, None)

    def _listening(self) -> bool:
        """Apply the news waiting in the listener's socket; False if not listening."""
        with self.lock:
            if self.listener is None:
                now = time.monotonic()
                if now < self.listen_after:
                    return False
                self.listen_after = now + 1.0
                try:
                    self.listener = _Listener(self.url)
                except Exception:
                    logger.debug("cannot listen for generations; reading Redis", exc_info=True)
                    return False
                self.known = {}
            return self._heard_safely()

    def _heard_safely(self) -> bool:
        """Apply the news waiting (the lock held); False if the listener is gone."""
        try:
            self._hear()
        except Exception:
            # Messages may have been missed (Redis restarted, the link broke): read
            # Redis until listening again. What it holds is the truth, as before.
            logger.info("the page cache stopped hearing from Redis; reading it instead")
            self._stop_listening()
            return False
        return self.listener is not None

    def _hear(self) -> None:
        listener = self.listener
        if listener is None:
            return
        for news in listener.news(self.QUIET_SECONDS):
            for line in news.split(b"\n"):
                name, _, token = line.partition(b" ")
                self.known[name.decode()] = bytes.fromhex(token.decode())
            self.heard += 1

    def _down(self) -> None:
        self.was_down = True
        self._stop_listening()

    def _stop_listening(self) -> None:
        self.listen_after = time.monotonic() + 1.0
        listener, self.listener = self.listener, None
        self.known = {}
        if listener is not None:
            listener.close()

    close = _stop_listening


GENERATION_CHANNEL = GENERATION_KEY + ":news"


def _news(tokens: dict[str, bytes]) -> bytes:
    return "\n".join(f"{name} {token.hex()}" for name, token in tokens.items()).encode()


class _Listener:
    """A subscription to the generations' channel, read without blocking."""

    def __init__(self, url: str):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: a reconnection would hide the messages missed meanwhile.
        client = redis.Redis.from_url(
            url, retry=Retry(NoBackoff(), 0), socket_timeout=5, socket_connect_timeout=2
        )
        self.pubsub = client.pubsub()
        self.pubsub.subscribe(GENERATION_CHANNEL)
        # Once Redis confirms, every later change reaches this socket.
        confirmed = self.pubsub.get_message(timeout=2.0)
        if confirmed is None or confirmed["type"] != "subscribe":
            self.close()
            raise ConnectionError("Redis did not confirm the subscription")
        self.poll = select.poll()
        self.poll.register(self.pubsub.connection._sock, select.POLLIN)
        self.heard_at = time.monotonic()
        self.asked_at: float | None = None

    def news(self, quiet: float) -> list[bytes]:
        """Return the messages waiting, without blocking; raise if the link is gone."""
        now = time.monotonic()
        received = []
        # The socket is empty after each drain (the parser's buffer too, as
        # get_message reads until nothing is left): a poll says whether anything came.
        if self.poll.poll(0):
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "message":
                    received.append(message["data"])
            self.heard_at, self.asked_at = now, None
        elif now - self.heard_at > quiet:
            if self.asked_at is None:
                self.pubsub.ping()  # answered on this connection, as a message
                self.asked_at = now
            elif now - self.asked_at > quiet:
                raise ConnectionError("Redis did not answer the listener's PING")
        return received

    def close(self) -> None:
        try:
            self.pubsub.close()
        except Exception:
            logger.debug("closing the generations listener failed", exc_info=True)


#: How long a claim to render a page holds if its request never releases it (a crash).
CLAIM_SECONDS = 10


class FileClaims:
    """Who renders a missing page, among the processes of one machine: a file per page."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / _digest(key)

    def claim(self, key: str) -> bool:
        path = self._path(key)
        for _attempt in range(2):
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660))
                return True
            except FileExistsError:
                if not self._stale(path):
                    return False
                path.unlink(missing_ok=True)  # left by a request that died: take it over
            except FileNotFoundError:
                self.directory.mkdir(parents=True, exist_ok=True)
        return False

    @staticmethod
    def _stale(path: Path) -> bool:
        try:
            return path.stat().st_mtime < time.time() - CLAIM_SECONDS
        except FileNotFoundError:
            return True

    def claimed(self, key: str) -> bool:
        return not self._stale(self._path(key))

    def release(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class RedisClaims:
    """Who renders a missing page, among all machines: a key that expires by itself."""

    def __init__(self, generation: RedisGeneration):
        self.generation = generation

    @staticmethod
    def _key(key: str) -> str:
        return (
            "samizdat:pagecache:claim:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        )

    def claim(self, key: str) -> bool:
        client = self.generation._client()
        return bool(client.set(self._key(key), b"1", nx=True, ex=CLAIM_SECONDS))

    def claimed(self, key: str) -> bool:
        return bool(self.generation._client().exists(self._key(key)))

    def release(self, key: str) -> None:
        self.generation._client().delete(self._key(key))


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
        self._claims: FileClaims | RedisClaims | None = None
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

    @property
    def claims(self) -> FileClaims | RedisClaims:
        if self._claims is None:
            generation = self.generation
            if isinstance(generation, RedisGeneration):
                self._claims = RedisClaims(generation)
            else:
                self._claims = FileClaims(app_settings.GENERATION_FILE.parent / "pagecache-claims")
        return self._claims

    def claim(self, key: str) -> bool:
        """True if this request is to render the missing page ``key``: no other is.

        Concurrent misses of one page (after an invalidation, a popular post) then cause
        one render; the others wait for it (``wait_for``). A store that cannot say lets
        every request render, as before.
        """
        try:
            return self.claims.claim(key)
        except Exception:
            return True

    def release(self, key: str) -> None:
        try:
            self.claims.release(key)
        except Exception:
            logger.debug("releasing a claim failed; it expires by itself", exc_info=True)

    def wait_for(self, key: str) -> Entry | None:
        """Wait while another request renders ``key``; return its page, or None to render.

        None when the other request ends without keeping a page (a 404, a personal page),
        or after ``WAIT_SECONDS``.
        """
        deadline = time.monotonic() + app_settings.WAIT_SECONDS
        pause = 0.005
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
            entry = self.lookup(key)
            if entry is not None:
                return entry
            if not self.claims.claimed(key):
                return self.lookup(key)
        return None

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
            # A session no longer keeps a reader from the shared pages (their own parts
            # come from /identity/me/); a message to show, or staff, still do.
            private_cookies=("messages", STAFF_COOKIE),
        )
        return self._config

    def lookup(self, key: str) -> Entry | None:
        """Return the page kept under ``key`` if its generations are current and it has
        not expired, else None."""
        now = time.time()
        entry = self.local.get(key)
        if entry is not None and self.fresh(entry, now):
            return entry
        entry = caches[app_settings.ALIAS].get(_shared_key(key))
        if entry is None or not isinstance(entry, Entry) or not self.fresh(entry, now):
            return None
        self._keep_locally(key, entry)
        return entry

    def fresh(self, entry: Entry, now: float) -> bool:
        return entry.expires >= now and self.generation.tokens(entry.depends) == entry.generation

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
        if isinstance(self._generation, RedisGeneration):
            self._generation.close()
        self._generation = None
        self._claims = None
        self._forget_local()

    def invalidate(self, names: tuple[str, ...] = (SITE,)) -> None:
        """Make the pages that depend on ``names`` stale, in every process on every machine."""
        self.generation.bump(names)
        if SITE in names:
            self._forget_local()  # all stale: free the memory now


def _shared_key(key: str) -> str:
    # "page2": entries carry the generations they depend on (pages kept by an older
    # samizdat are not read back into the new layout).
    return "page2:" + _digest(key)


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _has_private_cookie(header: str, names: tuple[str, ...]) -> bool:
    if not any(name in header for name in names):
        return False
    # Parsed as Django parses it, so that what Django would call a session is one here.
    cookies = parse_cookie(header)
    return any(name in cookies for name in names)


store = PageStore()
_remembered: dict[str, tuple[bytes, object]] = {}


def remember(name: str, compute, depends: tuple[str, ...] = (SITE,)):
    """Return ``compute()``, computed once per process until the generations it
    ``depends`` on change.

    For small things every reader page shows (the login buttons, the navigation): the
    ``site`` generation that makes kept pages stale makes these stale too.
    """
    try:
        generation = store.generation.tokens(depends)
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


def invalidate(names: tuple[str, ...] = (SITE,)) -> None:
    """Make the kept pages and fragments that depend on ``names`` stale (call after a
    change readers would see; by default, anything on the site).

    Done with the page cache off too: comment fragments are keyed by the generations.
    A store that is down is logged, never raised: the change itself is already saved.
    """
    try:
        store.invalidate(names)
    except Exception:
        from samizdat.core.degrade import warn_once_a_minute

        warn_once_a_minute(logging.getLogger("samizdat.pagecache"), "invalidating the page cache")
