"""The sitemap: every live post and published page, built on django.contrib.sitemaps."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from samizdat.publishing.models import Page, Post


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["publishing:home"]

    def location(self, item):
        return reverse(item)


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Post.objects.live().only("slug", "published_at", "updated_at").order_by("-id")

    def lastmod(self, item: Post):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Page.objects.filter(published=True).only("path", "updated_at").order_by("id")

    def lastmod(self, item: Page):
        return item.updated_at


sitemaps = {"home": HomeSitemap, "posts": PostSitemap, "pages": PageSitemap}
