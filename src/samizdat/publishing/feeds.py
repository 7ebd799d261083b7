"""RSS and Atom feeds of the latest posts, built on django.contrib.syndication."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Enclosure

from samizdat.core.feeds import CleanAtomFeed, CleanRssFeed
from samizdat.publishing.models import Post

FEED_SIZE = 20


class MediaRssFeed(CleanRssFeed):
    """RSS 2.0 with Media RSS's ``media:content`` for each post's featured image."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("featured_image")
        if image:
            handler.addQuickElement("media:content", "", image)


class LatestPostsFeed(Feed):
    """The latest published posts, in full."""

    feed_type = MediaRssFeed

    def get_feed(self, obj, request):
        self.request = request  # for absolute addresses of featured images
        return super().get_feed(obj, request)

    def title(self):
        return settings.SAMIZDAT_SITE_NAME

    def description(self):
        return settings.SAMIZDAT_SITE_TAGLINE

    def link(self):
        return reverse("publishing:home")

    def items(self):
        return (
            Post.objects.live()
            .select_related("author", "featured_image")
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

    def item_enclosures(self, item: Post):
        image = item.featured_image
        if image is None:
            return []
        return [Enclosure(self.request.build_absolute_uri(image.url), str(image.size),
                          image.content_type)]  # fmt: skip

    def item_extra_kwargs(self, item: Post):
        image = item.featured_image
        if image is None:
            return {}
        return {
            "featured_image": {
                "url": self.request.build_absolute_uri(image.url),
                "medium": "image",
                "type": image.content_type,
                "width": str(image.width),
                "height": str(image.height),
            }
        }


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = CleanAtomFeed
    subtitle = LatestPostsFeed.description
