"""A WSGI client that goes through the page cache's hit path, then Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from samizdat.pagecache.store import store
from samizdat.pagecache.wsgi import PageCacheApplication


class CachedClient:
    """GET through PageCacheApplication; a miss is answered by Django's test client."""

    def __init__(self, client: Client | None = None):
        self.client = client or Client()
        self.rendered = 0  # how many requests reached Django

    def get(self, path: str, method: str = "GET", **extra):
        environ = RequestFactory()._base_environ(
            PATH_INFO=path, REQUEST_METHOD=method, QUERY_STRING="", **self._cookies(), **extra
        )
        answer = {}

        def django(environ, start_response):
            self.rendered += 1
            response = self.client.generic(method, path, **extra)
            answer["response"] = response
            start_response(f"{response.status_code} {response.reason_phrase}", response.items())
            return [response.content]

        def start_response(status, headers):
            answer["status"], answer["headers"] = status, dict(headers)

        body = b"".join(PageCacheApplication(django)(environ, start_response))
        return Answer(int(answer["status"].split()[0]), answer["headers"], body)

    def _cookies(self) -> dict:
        jar = self.client.cookies
        if not jar:
            return {}
        return {"HTTP_COOKIE": "; ".join(f"{m.key}={m.coded_value}" for m in jar.values())}


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status_code = status
        self.headers = headers
        self.content = body
        self.text = body.decode()

    @property
    def hit(self) -> bool:
        return self.headers.get("X-Page-Cache") == "hit"


@pytest.fixture
def cached(db):
    store.invalidate()
    return CachedClient()


@pytest.fixture
def reader_client(db):
    """Another reader, with a client (cookies) of their own."""
    return lambda: CachedClient(Client())
