"""Keep anonymous readers' pages as they are rendered; mark personal pages private.

Hits are served before Django by ``samizdat.pagecache.wsgi`` (the shortest path); this
middleware runs on a miss. It comes first in MIDDLEWARE so that the response it keeps
carries every header the other middleware added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from samizdat.core.degrade import warn_once_a_minute
from samizdat.pagecache.app_settings import app_settings
from samizdat.pagecache.store import (
    DOWN_ENVIRON,
    GENERATION_BYTES,
    LISTS,
    PERSONAL_COOKIE,
    SITE,
    STAFF_COOKIE,
    Entry,
    entry_generation,
    store,
)

log = logging.getLogger("samizdat.pagecache")


class SharedPage:
    """What a request that may be shared carries through the view (``request.page_cache``).

    The generations are read before the view runs: a change committed during the render
    leaves the page stale. A post's or page's view narrows the page's dependency from
    ``lists`` to its own entry (``depends_on_entry``).
    """

    def __init__(self, key: str, tokens: bytes):
        self.key = key
        self.depends: tuple[str, ...] = (SITE, LISTS)
        self.generation = tokens

    def narrow_to(self, name: str) -> bytes:
        """Depend on the site and entry ``name`` only; return their tokens."""
        token = store.generation.tokens((name,))
        self.depends = (SITE, name)
        self.generation = self.generation[:GENERATION_BYTES] + token
        return self.generation


def depends_on_entry(request, entry) -> str:
    """Say the page shows ``entry``'s discussion and nothing else that comments change.

    Called before the comments are read. Returns the key under which the comments'
    markup may be kept (``fragments``): it changes when the site or this entry does.
    """
    name = entry_generation(entry)
    shared = getattr(request, "page_cache", None)
    try:
        if shared is not None:
            return shared.narrow_to(name).hex()
        return store.generation.tokens((SITE, name)).hex()
    except Exception:
        # The store is down: no fragment may be trusted, so none is reused.
        warn_once_a_minute(log, "reading the page cache")
        return "down-" + secrets.token_hex(8)


def shared_cache_control() -> str:
    control = "public, max-age=0, must-revalidate"
    if app_settings.CDN_SECONDS:
        control += f", s-maxage={app_settings.CDN_SECONDS}"
    return control


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = store.key(request.META) if app_settings.ENABLED else None
        if key is not None and request.META.get(DOWN_ENVIRON):
            key = None  # the store is down: this page is rendered, not kept
        if key is not None:
            # Read before rendering: a change committed during the render leaves this
            # page stale.
            try:
                tokens = store.generation.tokens((SITE, LISTS))
            except Exception:
                warn_once_a_minute(log, "reading the page cache")
                key = None
            else:
                request.page_cache = SharedPage(key, tokens)
        response = self.get_response(request)
        if not getattr(request, "page_cache_view", False):
            return response
        # Kept from GETs only (HEADs are served from them): a server may drop a HEAD's body.
        shared = getattr(request, "page_cache", None) is not None  # a view may say no
        if key is not None and shared and request.method == "GET" and self.shareable(response):
            return self.keep(request, response)
        if not response.has_header("Cache-Control"):
            # A page with a reader's own parts: no cache in between may keep it.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def shareable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies  # a cookie set (a CSRF token, a session) is personal
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def keep(self, request, response):
        shared: SharedPage = request.page_cache
        now = time.time()
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(now)
        response["Cache-Control"] = shared_cache_control()
        response["Content-Length"] = str(len(body))
        headers = [(name, value) for name, value in response.items()]
        entry = Entry(
            generation=shared.generation,
            depends=shared.depends,
            expires=now + seconds_to_keep(now),
            status=f"{response.status_code} {response.reason_phrase}",
            headers=headers,
            body=body,
            etag=etag,
            modified=int(now),
        )
        try:
            store.save(shared.key, entry)
        except Exception:
            # A full disk, a directory not writable, Redis gone: the page is served, unkept.
            warn_once_a_minute(log, "keeping a page in the page cache")
        response["X-Page-Cache"] = "miss"  # rendered here: what the stampede test counts
        return get_conditional_response(
            request, etag=etag, last_modified=int(now), response=response
        )


def seconds_to_keep(now: float) -> float:
    """Keep a page no longer than SECONDS, nor past the time a scheduled post goes live."""
    from samizdat.publishing.models import Post, PostStatus

    seconds = float(app_settings.SECONDS)
    upcoming = (
        Post.objects.filter(
            status=PostStatus.SCHEDULED, published_at__gt=dt.datetime.fromtimestamp(now, dt.UTC)
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is not None:
        seconds = min(seconds, max(1.0, upcoming.timestamp() - now))
    return seconds


class ReaderMarkersMiddleware:
    """Keep two cookies in step with the session: ``samizdat_staff`` and ``samizdat_personal``.

    Staff are not served shared pages (theirs carry moderation buttons and drafts); a
    reader whose session holds something of theirs (a login, a pending comment, a
    remembered name, a kept draft) is, and their page's script asks ``/identity/me/``
    for those parts. The script cannot see the session cookie (HttpOnly): it sees this
    one. Neither cookie grants anything: forged, it only costs its holder the cache.
    Updated when the session changes (a login, a logout, a comment).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.modified:
            return response
        user = getattr(request, "user", None)
        staff = bool(user is not None and user.is_authenticated and user.is_staff)
        personal = not session.is_empty()
        for name, wanted in ((STAFF_COOKIE, staff), (PERSONAL_COOKIE, personal)):
            if wanted and name not in request.COOKIES:
                response.set_cookie(
                    name, "1", max_age=settings.SESSION_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
                )  # fmt: skip
            elif not wanted and name in request.COOKIES:
                response.delete_cookie(name, samesite="Lax")
        return response
