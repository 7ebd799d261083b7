"""The desk's background work, run by the task queue's worker."""

from samizdat.core.background import background_task


@background_task(attempts=3)
def empty_old_spam_and_trash() -> dict[str, int]:
    """Delete what has been in Spam or Trash longer than SAMIZDAT_TRASH_DAYS (hourly)."""
    from samizdat.desk.app_settings import app_settings
    from samizdat.desk.services import empty

    days = app_settings.TRASH_DAYS
    if days <= 0:
        return {}
    return {status: empty(status, None, older_than_days=days) for status in ("spam", "trash")}


@background_task(attempts=3)
def reconcile_comment_counts() -> int:
    """Count again the posts that had comments lately (hourly): stored counts are kept
    by adding one per new comment, and this proves them."""
    from samizdat.discussion.services import reconcile_counts

    return reconcile_counts()
