"""Root URLconf: the admin, feeds and sitemap, then the reader pages.

Reader URLs follow WordPress's default pretty permalinks so that links
survive a move from WordPress.
"""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from samizdat.core import health
from samizdat.desk import writing_views
from samizdat.media import views as media_views
from samizdat.pagecache.decorators import reader_page
from samizdat.publishing.sitemaps import sitemaps

#: A database that cannot be reached answers 503 with the reader's text, not a 500.
handler500 = "samizdat.core.errors.server_error"

urlpatterns = [
    # The comments desk, in the admin's space (before the admin's own URLs).
    path("admin/desk/", include("samizdat.desk.urls")),
    path("admin/media/", include("samizdat.media.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        reader_page(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("accounts/", include("allauth.urls")),
    path("identity/", include("samizdat.identity.urls")),
    path("comments/", include("samizdat.antispam.urls")),
    path("mail/", include("samizdat.notifications.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The library's files, when no web server in front serves /media/ (nginx does).
    path("media/<path:path>", media_views.serve, name="media-file"),
    # A draft as it will appear, for anyone holding the signed link.
    path("preview/<str:token>/", writing_views.preview_link, name="preview-link"),
    path("", include("samizdat.discussion.urls")),
    # Publishing last: its page URLs are a catch-all for /<path>/.
    path("", include("samizdat.publishing.urls")),
]
