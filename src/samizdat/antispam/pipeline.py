"""Run the configured checks in order on a new comment; the strongest verdict wins."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache

from django.utils.module_loading import import_string

from samizdat.antispam.app_settings import app_settings
from samizdat.antispam.checks import Check, Result, Submission, Verdict

log = logging.getLogger(__name__)


@dataclass
class Decision:
    verdict: Verdict = Verdict.PASS
    results: list[Result] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [str(result) for result in self.results]


@cache
def _check_class(path: str) -> type[Check]:
    return import_string(path)


def run(comment, data, *, content_only: bool = False) -> Decision:
    """Run every check (all of them: the desk lists every reason) and decide.

    ``content_only``: only the checks that judge the comment itself (``Check.content``).
    """
    decision = Decision()
    for path in app_settings.CHECKS:
        check = _check_class(path)
        if content_only and not getattr(check, "content", False):
            continue
        try:
            results = check().check(Submission(comment, data))
        except Exception:
            # A broken check holds the comment rather than losing or passing it.
            log.exception("spam check %s failed; holding the comment", path)
            results = [Result(Verdict.HOLD, f"check {path.rsplit('.', 1)[-1]} failed")]
        decision.results.extend(results)
    if decision.results:
        decision.verdict = max(result.verdict for result in decision.results)
    return decision
