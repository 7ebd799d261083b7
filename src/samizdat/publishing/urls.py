"""Reader URLs in WordPress's default pretty-permalink shapes."""

from django.urls import path, re_path, register_converter

from samizdat.discussion import feeds as comment_feeds
from samizdat.pagecache.decorators import reader_page
from samizdat.publishing import feeds, views


class FixedDigits:
    """A zero-padded number kept as text, so /2024/03/ round-trips exactly."""

    digits = 2

    @property
    def regex(self):
        return rf"[0-9]{{{self.digits}}}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):0{self.digits}d}"


class Year(FixedDigits):
    digits = 4


register_converter(Year, "yyyy")
register_converter(FixedDigits, "dd")

app_name = "publishing"

post = "<yyyy:year>/<dd:month>/<dd:day>/<str:slug>/"

# Every reader URL may be served from the page cache to readers without a session.
urlpatterns = [
    path("", reader_page(views.home), name="home"),
    path("page/<int:page>/", reader_page(views.home), name="home-page"),
    path("feed/", reader_page(feeds.LatestPostsFeed()), name="feed"),
    path("feed/atom/", reader_page(feeds.LatestPostsAtomFeed()), name="feed-atom"),
    path("comments/feed/", reader_page(comment_feeds.LatestCommentsFeed()), name="comments-feed"),
    path(
        "comments/feed/atom/",
        reader_page(comment_feeds.LatestCommentsAtomFeed()),
        name="comments-feed-atom",
    ),
    path("category/<str:slug>/", reader_page(views.category_archive), name="category"),
    path(
        "category/<str:slug>/page/<int:page>/",
        reader_page(views.category_archive),
        name="category-page",
    ),
    path("author/<str:username>/", reader_page(views.author_archive), name="author"),
    path(
        "author/<str:username>/page/<int:page>/",
        reader_page(views.author_archive),
        name="author-page",
    ),
    path("tag/<str:slug>/", reader_page(views.tag_archive), name="tag"),
    path("tag/<str:slug>/page/<int:page>/", reader_page(views.tag_archive), name="tag-page"),
    path(post, reader_page(views.post_detail), name="post"),
    path(
        post + "comment-page-<int:page>/", reader_page(views.post_detail), name="post-comment-page"
    ),
    path(post + "feed/", reader_page(comment_feeds.PostCommentsFeed()), name="post-comments-feed"),
    path(
        post + "sources.json",
        reader_page(views.sources_download),
        {"as_": "csl"},
        name="post-sources-csl",
    ),
    path(
        post + "sources.bib",
        reader_page(views.sources_download),
        {"as_": "bibtex"},
        name="post-sources-bibtex",
    ),
    path(
        post + "feed/atom/",
        reader_page(comment_feeds.PostCommentsAtomFeed()),
        name="post-comments-feed-atom",
    ),
    path("<yyyy:year>/", reader_page(views.date_archive), name="year"),
    path("<yyyy:year>/page/<int:page>/", reader_page(views.date_archive), name="year-page"),
    path("<yyyy:year>/<dd:month>/", reader_page(views.date_archive), name="month"),
    path(
        "<yyyy:year>/<dd:month>/page/<int:page>/",
        reader_page(views.date_archive),
        name="month-page",
    ),
    path("<yyyy:year>/<dd:month>/<dd:day>/", reader_page(views.date_archive), name="day"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/page/<int:page>/",
        reader_page(views.date_archive),
        name="day-page",
    ),
    # Pages last: any other path may be a page, nested like WordPress's (/about/team/).
    re_path(r"^(?P<path>(?:[^/]+/)*[^/]+)/$", reader_page(views.page_detail), name="page"),
]
