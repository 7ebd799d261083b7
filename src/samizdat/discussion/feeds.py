"""RSS and Atom feeds of comments, per post and site-wide, on django.contrib.syndication."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from samizdat.core.feeds import CleanAtomFeed, CleanRssFeed
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Post

FEED_SIZE = 30


class CommentFeedMixin:
    feed_type = CleanRssFeed

    def item_title(self, item: Comment):
        return _("By: %(author)s") % {"author": item.author_name}

    def item_description(self, item: Comment):
        return item.body_html

    def item_link(self, item: Comment):
        return item.get_absolute_url()

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment):
        return item.author_name


class PostCommentsFeed(CommentFeedMixin, Feed):
    """The latest approved comments on one post."""

    def get_object(self, request, year, month, day, slug):
        post = Post.objects.live().filter(slug=slug, password="").first()
        wanted = {"year": year, "month": month, "day": day, "slug": slug}
        if post is None or post.permalink_kwargs() != wanted:
            raise Http404(_("No such post."))
        return post

    def title(self, obj: Post):
        return _("Comments on: %(title)s") % {"title": obj.title}

    def link(self, obj: Post):
        return obj.get_absolute_url()

    def description(self, obj: Post):
        return _("Comments on \u201c%(title)s\u201d at %(site)s") % {
            "title": obj.title,
            "site": settings.SAMIZDAT_SITE_NAME,
        }

    def items(self, obj: Post):
        return (
            Comment.objects.filter(post=obj, status=CommentStatus.APPROVED)
            .select_related("post")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )


class PostCommentsAtomFeed(PostCommentsFeed):
    feed_type = CleanAtomFeed
    subtitle = PostCommentsFeed.description


class LatestCommentsFeed(CommentFeedMixin, Feed):
    """The latest approved comments on any live post."""

    def title(self):
        return _("Comments for %(site)s") % {"site": settings.SAMIZDAT_SITE_NAME}

    def link(self):
        return reverse("publishing:home")

    def description(self):
        return settings.SAMIZDAT_SITE_TAGLINE

    def items(self):
        live = Post.objects.live().filter(password="").values("pk")
        return (
            Comment.objects.filter(status=CommentStatus.APPROVED, post__in=live)
            .select_related("post")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Comment):
        return _("Comment on %(title)s by %(author)s") % {
            "title": item.post.title,
            "author": item.author_name,
        }


class LatestCommentsAtomFeed(LatestCommentsFeed):
    feed_type = CleanAtomFeed
    subtitle = LatestCommentsFeed.description
