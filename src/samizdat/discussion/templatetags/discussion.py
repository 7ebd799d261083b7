"""Template helpers for comment counts and threads."""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def comment_count_label(count: int) -> str:
    """Return "No comments", "One comment" or "N comments"."""
    count = int(count or 0)
    if count == 0:
        return gettext("No comments")
    return ngettext("One comment", "%(count)s comments", count) % {"count": f"{count:,}"}
