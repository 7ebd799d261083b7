"""PostgreSQL restarted three times while readers read and writers post."""

import time
from collections import Counter

import pytest
from django.db import connection

from tests.core.test_commands import server_env  # noqa: F401
from tests.faults.servers import Load, postgres_cluster, serving, stored_comments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="restarts a PostgreSQL server"),
]


def test_three_postgresql_restarts_under_load(server_env):  # noqa: F811
    with postgres_cluster() as (url, restart):
        env = dict(server_env, DATABASE_URL=url)
        with (
            serving(env, "--threads", "4", "--no-worker", "--no-demo-login", command="demo") as (
                base,
                _server,
            ),  # fmt: skip
            Load(base, writers=8, readers=2, read_paths=("/?s=essay",), tag="restart") as load,
        ):
            restarts = []
            for _ in range(3):
                time.sleep(2)
                restarts.append(time.monotonic())
                restart(down=1.0)  # stopped at once: every connection is cut
            time.sleep(8)
        stored = stored_comments(env, "restart ")
    outcomes = Counter(status for _, status, _ in load.posts + load.reads)
    # While the database is away the answer is 503 ("try again", the text kept), never
    # a 500, and no request hangs past the pool's wait.
    assert set(outcomes) <= {200, 302, 503}, outcomes
    acknowledged = load.acknowledged()
    assert acknowledged <= stored, f"lost: {acknowledged - stored}"
    # A comment stored without its redirect can only be one whose COMMIT was cut: it
    # was answered 503, and posting it again lands on it.
    answered_503 = {text for text, status, _ in load.posts if status == 503}
    assert stored - acknowledged <= answered_503
    # The site comes back within seconds of each restart, for readers and writers.
    for started in restarts:
        back = [
            t for _, status, t in load.reads + load.posts if status in (200, 302) and t > started
        ]
        assert back and min(back) - started < 8, "served again within 8 s of the restart"
    assert sum(1 for _, status, t in load.reads if status == 200 and t > restarts[-1] + 5) > 5
