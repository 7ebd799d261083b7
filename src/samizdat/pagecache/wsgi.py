"""Serve kept pages before Django: the shortest path for a cache hit.

A hit costs a dictionary lookup, a read of the page's generations and the send: no
request object, no middleware, no URL resolving. Everything else goes to Django.
"""

from __future__ import annotations

import logging

from django.utils.http import parse_http_date_safe

from samizdat.core.degrade import warn_once_a_minute
from samizdat.pagecache.store import DOWN_ENVIRON, store

log = logging.getLogger("samizdat.pagecache")


class PageCacheApplication:
    """Wrap Django's WSGI application with the page cache's hit path."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = store.key(environ)
        if key is None:
            return self.application(environ, start_response)
        try:
            entry = store.lookup(key)
        except Exception:
            # The store is down (Redis stopped, a directory gone): render uncached.
            warn_once_a_minute(log, "reading the page cache")
            environ[DOWN_ENVIRON] = True
            return self.application(environ, start_response)
        if entry is None:
            if store.claim(key):
                # This request renders the page; concurrent misses wait for it. Unless
                # another finished it between our look and our claim: look again.
                try:
                    entry = _look_again(key)
                    if entry is None:
                        return self.application(environ, start_response)
                finally:
                    store.release(key)
                return self.send(environ, start_response, entry, _WAITED)
            try:
                entry = store.wait_for(key)
            except Exception:
                warn_once_a_minute(log, "reading the page cache")
                entry = None
            if entry is None:
                return self.application(environ, start_response)
            return self.send(environ, start_response, entry, _WAITED)
        return self.send(environ, start_response, entry, _HIT)

    @staticmethod
    def send(environ, start_response, entry, marker):
        if _not_modified(environ, entry):
            start_response(
                "304 Not Modified",
                [(n, v) for n, v in entry.headers if n in _KEPT_ON_304],
            )
            return []
        start_response(entry.status, entry.headers + marker)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]


def _look_again(key: str):
    try:
        return store.lookup(key)
    except Exception:
        warn_once_a_minute(log, "reading the page cache")
        return None


_HIT = [("X-Page-Cache", "hit")]
# Served the page another request had just rendered, after waiting for it.
_WAITED = [("X-Page-Cache", "waited")]

# What a 304 repeats of the full answer (RFC 9110, 15.4.5).
_KEPT_ON_304 = frozenset({"ETag", "Last-Modified", "Cache-Control", "Vary", "Expires", "Date"})


def _not_modified(environ: dict, entry) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return match.strip() == "*" or entry.etag in match
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is not None:
        stamp = parse_http_date_safe(since)
        return stamp is not None and entry.modified <= stamp
    return False
