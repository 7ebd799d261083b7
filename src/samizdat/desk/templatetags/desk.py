"""Template helpers for the comments desk and the staff badge."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``counts|get_item:"pending"``: a dictionary's value by a key held in a variable."""
    return mapping.get(key, "")


@register.simple_tag
def pending_comments() -> int:
    """How many comments wait for moderation (computed once per change to the site)."""
    from samizdat.desk.services import pending_count

    return pending_count()
