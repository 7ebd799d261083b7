"""The spam checks: small policy classes, each saying pass, hold or spam, with a reason.

A check never rejects a comment: spam goes to the Spam queue and a doubtful comment is
held for moderation, so a reader's words are never lost. Only strong signals (a filled
honeypot, a disallowed key) mean spam; everything else can only hold.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samizdat.antispam import tokens
from samizdat.antispam.app_settings import app_settings


class Verdict(enum.IntEnum):
    """Ordered: the strongest verdict of all checks is the comment's."""

    PASS = 0
    HOLD = 1
    SPAM = 2


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    reason: str

    def __str__(self) -> str:
        word = {Verdict.HOLD: _("held"), Verdict.SPAM: _("spam")}.get(self.verdict, _("passed"))
        return f"{word}: {self.reason}"


@dataclass
class Submission:
    """What a check may look at: the unsaved comment, and the form's extra fields."""

    comment: object  # samizdat.discussion.models.Comment
    data: dict  # the POSTed form: the honeypot and the form token


class Check:
    """Subclass and override ``check``; list the class in ``SAMIZDAT_SPAM_CHECKS``.

    ``content`` checks judge the comment itself, not how the form was sent: they are
    the ones ``samizdat spam check`` runs on comments given as JSON.
    """

    content = False

    def check(self, submission: Submission) -> list[Result]:
        raise NotImplementedError


#: The honeypot's field name: a name bots like to fill. The form hides it from people.
HONEYPOT_FIELD = "contact_website"


class Honeypot(Check):
    """A field people never see or hear: a bot that fills it is a bot."""

    def check(self, submission: Submission) -> list[Result]:
        if (submission.data.get(HONEYPOT_FIELD) or "").strip():
            return [Result(Verdict.SPAM, _("honeypot field filled"))]
        return []


class Timing(Check):
    """A comment sent faster than a person types, or from a form a day old, is held.

    The form's script asks for a signed timestamp when the reader starts on the form
    (pages from the page cache are shared, so it cannot be in the page). A form with no
    token at all passes: readers without JavaScript must not be punished.
    """

    def check(self, submission: Submission) -> list[Result]:
        value = submission.data.get(tokens.FIELD) or ""
        if not value:
            return []
        age = tokens.age(value)
        if age is None:
            return [Result(Verdict.HOLD, _("form token not valid"))]
        if age < app_settings.MIN_SECONDS:
            return [
                Result(
                    Verdict.HOLD,
                    _("sent %(seconds).1f s after the form was opened") % {"seconds": age},
                )
            ]
        if age > app_settings.TOKEN_MAX_AGE:
            return [Result(Verdict.HOLD, _("form opened more than a day before"))]
        return []


class ProofOfWork(Check):
    """With the challenge on (a site under attack), a comment must carry its answer.

    No answer, or one that expired, holds the comment: a reader without JavaScript, or
    with a tab open for hours, waits for a moderator instead of losing the comment. A
    forged answer, or one used before, is a bot's.
    """

    def check(self, submission: Submission) -> list[Result]:
        from samizdat.antispam import challenge

        if not app_settings.CHALLENGE:
            return []
        outcome = challenge.judge(submission.data.get(challenge.FIELD) or "")
        if outcome == "missing":
            return [Result(Verdict.HOLD, _("no proof of work (the challenge is on)"))]
        if outcome == "expired":
            return [Result(Verdict.HOLD, _("proof of work expired"))]
        if outcome == "forged":
            return [Result(Verdict.SPAM, _("proof of work not valid"))]
        if outcome == "replayed":
            return [Result(Verdict.SPAM, _("proof of work used before"))]
        return []


_LINK_RE = re.compile(r"https?://|\bwww\.|<a\s", re.IGNORECASE)


class LinksAndKeys(Check):
    """WordPress's check_comment: too many links, moderation keys and disallowed keys."""

    content = True

    def check(self, submission: Submission) -> list[Result]:
        from samizdat.antispam.keys import current_keys

        comment = submission.comment
        results = []
        links = len(_LINK_RE.findall(comment.body))
        if links > app_settings.MAX_LINKS:
            results.append(
                Result(Verdict.HOLD, ngettext("%(n)d link", "%(n)d links", links) % {"n": links})
            )
        fields = {
            _("name"): comment.author_name,
            _("email"): comment.author_email,
            _("website"): comment.author_url,
            _("IP address"): comment.ip_address or "",
            _("user agent"): comment.user_agent,
            _("text"): comment.body,
        }
        lowered = {label: (value or "").lower() for label, value in fields.items()}
        moderation, disallowed = current_keys()
        for verdict, keys, what in (
            (Verdict.SPAM, disallowed, _("disallowed key")),
            (Verdict.HOLD, moderation, _("moderation key")),
        ):
            for key in keys:
                where = [label for label, value in lowered.items() if key in value]
                if where:
                    results.append(
                        Result(verdict, f"{what} \u201c{key}\u201d ({', '.join(where)})")
                    )
        return results


class LearnedFilter(Check):
    """Score the comment with the model learned from this site's decisions.

    A high score files it as spam, a middling one holds it. Until the site has enough
    decisions to learn from, it passes every comment; a stored model that cannot be
    read holds them all (and says so in the log) rather than letting spam through.
    """

    content = True

    def check(self, submission: Submission) -> list[Result]:
        from samizdat.antispam import degrade, learning

        comment = submission.comment
        try:
            model = learning.current()
        except learning.ModelError:
            degrade.warn_once_a_minute(learning.log, "reading the learned spam filter")
            return [Result(Verdict.HOLD, _("learned filter unreadable"))]
        if model is None:
            return []
        score = model.score(learning.comment_features(comment))
        comment.spam_score = round(score, 4)
        reason = _("learned filter, score %(score).2f") % {"score": score}
        if score >= app_settings.SPAM_SCORE:
            return [Result(Verdict.SPAM, reason)]
        if score >= app_settings.HOLD_SCORE:
            return [Result(Verdict.HOLD, reason)]
        return []
