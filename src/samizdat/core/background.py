"""Background work on django-tasks' database backend: retries, and tasks a dead worker held.

Tasks are rows in the site's own database, written in the same transaction as the
change that asked for them: a comment's mail is queued if and only if the comment is
stored, and a rolled-back approval queues nothing. django-tasks runs each task once;
this module adds what a site needs around that:

- ``background_task``: a task that, when it raises, is queued again with a growing
  delay, up to a number of attempts. Each failed attempt stays in the admin (Tasks)
  with its traceback; the last one says it was the last.
- ``recover``: a task whose worker was killed mid-run is left "running" by django-tasks;
  it is put back in the queue (at once when the worker was on this machine and its
  process is gone, after ``SAMIZDAT_TASK_TIMEOUT`` otherwise).
- ``run_periodic``: the daily and hourly jobs (emptying Spam and Trash).
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


def background_task(*, attempts: int = 6, backoff: float = 30.0, queue_name: str = "default"):
    """Make ``func`` a task retried ``attempts`` times in all, waiting backoff, 2x, 4x..."""
    from django_tasks import task

    def decorate(func: Callable):
        @functools.wraps(func)
        def run(*args, _attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                if _attempt < attempts:
                    delay = timedelta(seconds=backoff * 2 ** (_attempt - 1))
                    the_task.using(run_after=timezone.now() + delay).enqueue(
                        *args, _attempt=_attempt + 1, **kwargs
                    )
                    log.warning(
                        "task %s failed (attempt %d of %d); trying again in %s",
                        func.__name__, _attempt, attempts, delay, exc_info=True,
                    )  # fmt: skip
                else:
                    log.error(
                        "task %s failed %d times; giving up", func.__name__, attempts,
                        exc_info=True,
                    )  # fmt: skip
                raise  # this attempt is recorded as failed, with its traceback

        the_task = task(queue_name=queue_name)(run)
        return the_task

    return decorate


def worker_id() -> str:
    """This process's name among workers: which machine, which process (recover reads it)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover() -> int:
    """Put back in the queue the tasks left running by workers that are gone."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    host = socket.gethostname()[:40]
    cutoff = timezone.now() - timedelta(seconds=settings.SAMIZDAT_TASK_TIMEOUT)
    lost = []
    for pk, worker_ids, started_at in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ).values_list("pk", "worker_ids", "started_at"):
        last = (worker_ids or [""])[-1]
        machine, _, pid = last.rpartition(":")
        if (machine == host and pid.isdigit() and not _alive(int(pid))) or (
            started_at is not None and started_at < cutoff
        ):
            lost.append(pk)
    if lost:
        count = DBTaskResult.objects.filter(pk__in=lost, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        log.warning("%d task(s) left running by a worker that is gone were queued again", count)
        return count
    return 0


#: (dotted path of a task taking no arguments, seconds between runs)
PERIODIC = [
    ("samizdat.desk.tasks.empty_old_spam_and_trash", 3600),
    ("samizdat.desk.tasks.reconcile_comment_counts", 3600),
]


def run_periodic() -> None:
    """Queue each periodic task that has not been queued within its period."""
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    for path, seconds in PERIODIC:
        task = import_string(path)
        recent = DBTaskResult.objects.filter(
            task_path=task.module_path, enqueued_at__gte=now - timedelta(seconds=seconds)
        )
        if not recent.exists():
            task.enqueue()


def enqueue_once(task, *args, run_after=None) -> None:
    """Queue ``task(*args)`` unless the same call is already waiting in the queue.

    A burst of approvals on one post queues one mail run, not one per comment. The
    waiting one runs at the earlier of its time and ``run_after``.
    """
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path,
        status=TaskResultStatus.READY,
        args_kwargs={"args": list(args), "kwargs": {}},
    )
    # django-tasks-db marks "as soon as possible" with the largest date.
    soon = Q(run_after=get_date_max()) | Q(run_after__lte=run_after or timezone.now())
    if waiting.filter(soon).exists():
        return
    # None waits, or one waits for later (the batch interval): this one goes first.
    (task if run_after is None else task.using(run_after=run_after)).enqueue(*args)
