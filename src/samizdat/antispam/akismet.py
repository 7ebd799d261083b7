"""Akismet, optional: on only when ``SAMIZDAT_AKISMET_KEY`` is set.

Through the maintained ``akismet`` client. Akismet's "spam" only holds a comment (its
false positives are the complaint users make most: a real comment must never vanish);
its "discard", blatant spam, files it as spam. The desk's Spam and Not spam are reported
back (submit-spam, submit-ham) once the change is committed. Akismet unreachable: the
comment is judged by the other checks alone, and the log says so once a minute.
"""

from __future__ import annotations

import logging
from functools import cache

import httpx
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from samizdat.antispam.checks import Check, Result, Submission, Verdict
from samizdat.antispam.degrade import warn_once_a_minute

log = logging.getLogger(__name__)


def configured() -> bool:
    return bool(getattr(settings, "SAMIZDAT_AKISMET_KEY", ""))


class _Redirect(httpx.BaseTransport):
    """Tests only: send the client's requests to a loopback fake of Akismet's API."""

    def __init__(self, base: str):
        self.base = httpx.URL(base)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port
        )
        return self.inner.handle_request(request)


@cache
def _client(key: str, site: str, test_url: str | None):
    import akismet

    transport = _Redirect(test_url) if test_url else None
    http = httpx.Client(
        transport=transport, timeout=5.0, headers={"User-Agent": akismet.USER_AGENT}
    )
    return akismet.SyncClient(config=akismet.Config(key=key, url=site), http_client=http)


def client():
    return _client(
        settings.SAMIZDAT_AKISMET_KEY,
        getattr(settings, "SAMIZDAT_AKISMET_SITE_URL", "") or "http://localhost/",
        getattr(settings, "SAMIZDAT_AKISMET_TEST_URL", None),
    )


def _arguments(comment) -> dict:
    return {
        "user_ip": comment.ip_address or "127.0.0.1",
        "comment_content": comment.body,
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "user_agent": comment.user_agent,
    }


class Akismet(Check):
    """Ask Akismet (when configured): "discard" is spam, "spam" holds."""

    content = True

    def check(self, submission: Submission) -> list[Result]:
        if not configured():
            return []
        import akismet

        try:
            answer = client().comment_check(**_arguments(submission.comment))
        except akismet.AkismetError:
            warn_once_a_minute(log, "Akismet comment-check")
            return []
        if answer == akismet.CheckResponse.DISCARD:
            return [Result(Verdict.SPAM, _("Akismet says blatant spam"))]
        if answer == akismet.CheckResponse.SPAM:
            return [Result(Verdict.HOLD, _("Akismet says spam"))]
        return []


def report(comments, *, spam: bool) -> None:
    """Tell Akismet a moderator's verdict, after the change is committed."""
    if not configured() or not comments:
        return

    def send():
        import akismet

        for comment in comments:
            try:
                method = client().submit_spam if spam else client().submit_ham
                method(**_arguments(comment))
            except akismet.AkismetError:
                warn_once_a_minute(log, "Akismet submit-spam" if spam else "Akismet submit-ham")
                return

    transaction.on_commit(send)
