"""SIGTERM while comments are being posted: what was accepted is answered, nothing is lost."""

import signal
import time
from collections import Counter

import pytest

from tests.core.test_commands import server_env  # noqa: F401
from tests.faults.servers import Load, serving, stored_comments

pytestmark = pytest.mark.django_db(transaction=True)


def test_sigterm_during_posting_finishes_what_it_accepted(server_env):  # noqa: F811
    # Four request threads and sixteen writers: requests are always queued and in
    # flight when the signal comes.
    with (
        serving(server_env, "--threads", "4", "--no-worker", "--no-demo-login", command="demo") as (
            base,
            server,
        ),  # fmt: skip
        Load(base, writers=16, readers=0, tag="sigterm") as load,
    ):
        time.sleep(2)
        assert len(load.acknowledged()) > 10, Counter(s for _, s, _ in load.posts)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
        time.sleep(0.5)  # the writers now find the port closed
    outcomes = Counter(status for _, status, _ in load.posts)
    # Every request either was answered or found no server: none cut off in flight.
    assert set(outcomes) <= {302, "ConnectionRefusedError"}, outcomes
    assert outcomes["ConnectionRefusedError"] > 0, "the writers went on past the stop"
    stored = stored_comments(server_env, "sigterm ")
    assert stored == load.acknowledged(), (
        f"lost: {load.acknowledged() - stored}, unanswered: {stored - load.acknowledged()}"
    )
