"""Tasks for the task-queue tests (importable by a worker in another process)."""

import time
from pathlib import Path

from samizdat.core.background import background_task

FAILURES: dict[str, int] = {}


@background_task(attempts=3, backoff=10)
def flaky(key: str, failures: int) -> str:
    """Fail ``failures`` times, then succeed."""
    FAILURES[key] = FAILURES.get(key, 0) + 1
    if FAILURES[key] <= failures:
        raise ConnectionError(f"down ({FAILURES[key]})")
    return "done"


@background_task()
def slow_write(path: str, seconds: float) -> str:
    """Sleep, then append a line to ``path``: a task a killed worker must not lose."""
    time.sleep(seconds)
    with Path(path).open("a") as out:
        out.write("done\n")
    return "written"
