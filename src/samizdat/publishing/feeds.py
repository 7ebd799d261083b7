"""RSS and Atom feeds of the latest posts, built on django.contrib.syndication."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from samizdat.publishing.models import Post

FEED_SIZE = 20


class LatestPostsFeed(Feed):
    """The latest published posts, in full."""

    def title(self):
        return settings.SAMIZDAT_SITE_NAME

    def description(self):
        return settings.SAMIZDAT_SITE_TAGLINE

    def link(self):
        return reverse("publishing:home")

    def items(self):
        return (
            Post.objects.live()
            .select_related("author")
            .prefetch_related("tags", "categories")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Post):
        return item.title

    def item_description(self, item: Post):
        if item.password:
            return str(item.excerpt_safe)
        return item.body_html

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post):
        return item.author_name or None

    def item_categories(self, item: Post):
        return [term.name for term in (*item.categories.all(), *item.tags.all())]

    def item_comments(self, item: Post):
        return item.get_absolute_url() + "#comments"


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPostsFeed.description
