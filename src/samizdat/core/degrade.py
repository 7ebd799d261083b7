"""Say in the log that a part is down, once a minute at most, and go on without it."""

from __future__ import annotations

import logging
import time

_last: dict[str, float] = {}


def warn_once_a_minute(log: logging.Logger, what: str) -> None:
    """Log ``what`` failed (with the exception), unless it was said in the last minute."""
    now = time.monotonic()
    if now - _last.get(what, -3600.0) > 60:
        _last[what] = now
        log.warning("%s failed; going on without it", what, exc_info=True)
