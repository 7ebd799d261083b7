"""WSGI entry point, served by granian through ``samizdat serve``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by get_wsgi_application()

if settings.SAMIZDAT_PAGE_CACHE:
    from samizdat.pagecache.wsgi import PageCacheApplication

    application = PageCacheApplication(application)
