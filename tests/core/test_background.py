"""The task queue: retries with backoff, giving up, and tasks a killed worker held."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samizdat.core import background
from tests.core import background_tasks

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def flaky_results():
    return DBTaskResult.objects.filter(task_path=background_tasks.flaky.module_path)


def test_a_failing_task_is_retried_with_growing_delays(run_tasks):
    background_tasks.FAILURES.clear()
    background_tasks.flaky.enqueue("a", 2)
    run_tasks()
    first_retry = flaky_results().get(status=TaskResultStatus.READY)
    delay = first_retry.run_after - timezone.now()
    assert timedelta(seconds=8) < delay <= timedelta(seconds=10)
    run_tasks(due=True)
    second_retry = flaky_results().get(status=TaskResultStatus.READY)
    assert timedelta(seconds=18) < second_retry.run_after - timezone.now() <= timedelta(seconds=20)
    run_tasks(due=True)
    statuses = list(flaky_results().order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]


def test_a_task_that_keeps_failing_stops_and_stays_visible(run_tasks, admin_client):
    background_tasks.FAILURES.clear()
    background_tasks.flaky.enqueue("b", 99)
    for _ in range(5):
        run_tasks(due=True)
    failed = flaky_results().filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 3 and not flaky_results().filter(status="READY").exists()
    last = failed.order_by("-enqueued_at").first()
    assert last.args_kwargs["kwargs"] == {"_attempt": 3}
    assert "ConnectionError" in last.traceback
    page = admin_client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert page.status_code == 200 and b"flaky" in page.content


def test_tasks_held_by_a_dead_worker_are_queued_again():
    import socket

    task = background_tasks.slow_write.enqueue("/dev/null", 0)
    host = socket.gethostname()[:40]
    dead = subprocess.Popen(["true"])
    dead.wait()
    DBTaskResult.objects.filter(pk=task.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[f"{host}:{dead.pid}"],
        started_at=timezone.now(),
    )
    elsewhere = background_tasks.slow_write.enqueue("/dev/null", 0)
    DBTaskResult.objects.filter(pk=elsewhere.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["other-host:1"], started_at=timezone.now()
    )
    assert background.recover() == 1
    assert DBTaskResult.objects.get(pk=task.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=elsewhere.id).status == TaskResultStatus.RUNNING
    DBTaskResult.objects.filter(pk=elsewhere.id).update(
        started_at=timezone.now() - timedelta(hours=1)
    )
    assert background.recover() == 1, "another machine's task, running for an hour: lost"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_loses_nothing(tmp_path):
    """kill -9 a real `samizdat worker` while it runs a task; the next worker runs it."""
    env = {**os.environ, "SAMIZDAT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "samizdat.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)  # a scratch site of its own: SQLite in tmp_path
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = _scratch_postgres()
    samizdat = [sys.executable, "-m", "samizdat"]
    subprocess.run([*samizdat, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    marker = tmp_path / "marker.txt"
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from tests.core.background_tasks import slow_write; "
         f"slow_write.enqueue({str(marker)!r}, 3)"],
        env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    worker = subprocess.Popen([*samizdat, "worker"], env=env, cwd=ROOT)
    try:
        time.sleep(2)  # it has claimed the task and sleeps in it
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert not marker.exists()
        again = subprocess.Popen([*samizdat, "worker"], env=env, cwd=ROOT)
        try:
            deadline = time.monotonic() + 30
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            again.terminate()
            again.wait(timeout=15)
        assert marker.read_text() == "done\n", "run once, after the first worker died"
    finally:
        if worker.poll() is None:
            worker.kill()
        if env.get("DATABASE_URL"):
            _drop_scratch_postgres(env["DATABASE_URL"])


def _scratch_postgres() -> str:
    import uuid

    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"samizdat_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _drop_scratch_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_scheduled_post_is_announced_at_its_time(make_post, run_tasks, smtp):
    from samizdat.notifications import services
    from samizdat.publishing.models import PostStatus

    services.subscribe("ann@example.org", kind="posts", verified=True)
    post = make_post(
        "Tomorrow's essay",
        status=PostStatus.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=2),
    )
    run_tasks()
    assert smtp.to("ann@example.org") == [], "not live yet"
    from samizdat.publishing.models import Post

    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    run_tasks(due=True)
    run_tasks()
    (mail,) = smtp.to("ann@example.org")
    assert mail["Subject"] == "New post: Tomorrow's essay"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    post.title = "Tomorrow's essay, edited"
    post.save()
    run_tasks(due=True)
    assert len(smtp.to("ann@example.org")) == 1, "announced once"


def test_old_posts_saved_again_are_not_announced(make_post, run_tasks, smtp):
    from samizdat.notifications import services

    services.subscribe("ann@example.org", kind="posts", verified=True)
    old = make_post("Imported long ago", published_at=timezone.now() - timedelta(days=400))
    old.save()
    run_tasks()
    assert smtp.messages == []
