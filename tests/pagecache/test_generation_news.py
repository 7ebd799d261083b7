"""Generations in Redis, mirrored in each process and kept current by published news.

Two ``RedisGeneration`` objects stand for two processes (or machines) sharing one real
Redis server.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import redis

from samizdat.pagecache.store import LISTS, SITE, RedisGeneration
from tests.faults.servers import redis_server

NAMES = (SITE, "post:7")


class NoRoundTrips:
    """Stands in for a client's MGET: any read of Redis fails the test."""

    def __init__(self, generation: RedisGeneration):
        self.generation = generation

    def __enter__(self):
        client = self.generation._client()
        self.mget = client.mget
        client.mget = self.fail
        return self

    def fail(self, *args, **kwargs):
        raise AssertionError("read Redis although listening")

    def __exit__(self, *exc):
        self.generation.client.mget = self.mget


@pytest.fixture
def processes():
    with redis_server() as (url, restart, stop):
        for _ in range(50):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        made = [RedisGeneration(url), RedisGeneration(url)]
        try:
            yield made, url, restart, stop
        finally:
            for generation in made:
                generation.close()


def test_a_change_anywhere_is_seen_without_reading_redis(processes):
    (reader, writer), _url, _restart, _stop = processes
    before = reader.tokens(NAMES)  # read once; listening from now on
    assert reader.listener is not None
    with NoRoundTrips(reader):
        assert reader.tokens(NAMES) == before
        writer.bump(("post:7",))
        after = reader.tokens(NAMES)
    assert after[:16] == before[:16] and after[16:] != before[16:]
    assert (
        after
        == writer.tokens(NAMES)
        == redis.Redis.from_url(_url)
        .get("samizdat:pagecache:generation:post:7")
        .join([before[:16], b""])
    )


def test_a_process_sees_its_own_change_at_once(processes):
    (reader, _writer), _url, _restart, _stop = processes
    before = reader.tokens(NAMES)
    reader.bump((SITE,))
    assert reader.tokens(NAMES)[:16] != before[:16]
    assert reader.tokens(NAMES)[16:] == before[16:]


def test_news_lost_with_the_link_is_made_up_by_reading_redis(processes):
    """A cut subscription (a proxy, a failover) is noticed; Redis is read meanwhile."""
    (reader, writer), url, _restart, _stop = processes
    reader.tokens(NAMES)
    admin = redis.Redis.from_url(url)
    assert admin.client_kill_filter(_type="pubsub") >= 1
    writer.bump(("post:7",))  # published to nobody
    assert reader.tokens(NAMES) == writer.tokens(NAMES)
    assert reader.listener is None
    time.sleep(1.1)
    reader.tokens(NAMES)
    assert reader.listener is not None, "listening again after a second"
    writer.bump((SITE, LISTS))
    with NoRoundTrips(reader):
        assert reader.tokens(NAMES) == writer.tokens(NAMES)


def test_a_restarted_redis_makes_every_kept_page_stale(processes):
    (reader, writer), _url, restart, _stop = processes
    before = reader.tokens(NAMES)
    restart()  # without its data: the tokens are gone
    for _ in range(50):
        try:
            after = reader.tokens(NAMES)
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    assert after[:16] != before[:16] and after[16:] != before[16:]
    assert writer.tokens(NAMES) == after


def test_a_redis_that_stops_answering_is_not_trusted_for_long(processes):
    """A frozen server (SIGSTOP) cannot answer the listener's PING: the mirror is given
    up and the read fails, so pages are rendered rather than served on old news."""
    (reader, _writer), url, _restart, _stop = processes
    reader.QUIET_SECONDS = 0.2
    reader.tokens(NAMES)
    pid = redis.Redis.from_url(url).info("server")["process_id"]
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(redis.RedisError):
            while time.monotonic() - started < 10:
                reader.tokens(NAMES)
                time.sleep(0.05)
        assert time.monotonic() - started < 5
    finally:
        os.kill(pid, signal.SIGCONT)
