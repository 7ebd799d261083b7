"""Template helpers for the site's navigation and post metadata."""

from django import template

from samizdat.pagecache.store import remember
from samizdat.publishing.models import Page

register = template.Library()


@register.simple_tag
def site_pages():
    """Return the top-level published pages, in menu order, for the site navigation."""
    return remember(
        "site-pages",
        lambda: list(
            Page.objects.filter(published=True, parent__isnull=True).only("title", "path")
        ),
    )
