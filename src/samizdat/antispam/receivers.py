"""Signal receivers of the antispam app, connected in ``AntispamConfig.ready()``."""

from django.db import transaction

from samizdat.antispam import learning, pipeline, ratelimits
from samizdat.antispam.checks import Verdict
from samizdat.discussion.models import CommentStatus


def check_comment(sender, comment, request, **kwargs):
    """File a new comment as spam, or hold it, by the checks' verdict; never reject it."""
    user = comment.user
    if user is not None and user.has_perm("discussion.change_comment"):
        return True  # the site's own moderators
    ratelimits.check_rate(comment)
    decision = pipeline.run(comment, request.POST)
    comment.moderation_reasons = decision.reasons
    if decision.verdict == Verdict.SPAM:
        comment.status = CommentStatus.SPAM
    elif decision.verdict == Verdict.HOLD and comment.status == CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING
    return True


def report_decision(sender, comments, status, previous_statuses=None, **kwargs):
    """A moderator's Spam, or Not spam, teaches the learned filter and Akismet (if on)."""
    from samizdat.antispam import akismet

    previous_statuses = previous_statuses or {}
    teaches = status in (CommentStatus.SPAM, CommentStatus.APPROVED) or any(
        previous_statuses.get(c.pk) in (CommentStatus.SPAM, CommentStatus.APPROVED)
        for c in comments
    )
    if teaches:
        transaction.on_commit(learning.schedule_retrain)
    if status == CommentStatus.SPAM:
        akismet.report([c for c in comments if previous_statuses.get(c.pk) != status], spam=True)
    elif status in (CommentStatus.APPROVED, CommentStatus.PENDING):
        akismet.report(
            [c for c in comments if previous_statuses.get(c.pk) == CommentStatus.SPAM], spam=False
        )


def learn_from_import(sender, report, **kwargs):
    """Imported comments carry their old site's decisions: learn from them soon.

    On the task queue, as every retraining is: training on a large archive takes seconds
    (5 s for 40,000 comments), which the import would otherwise wait for.
    """
    learning.schedule_retrain()
