"""Old links keep working: WordPress paths and ?p=ID answer with a 301 to the new URL."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from samizdat.interchange.models import LegacyURL

QUERY_KEYS = ("p", "page_id")


class LegacyRedirectMiddleware:
    """Like django.contrib.redirects' fallback, for links recorded by an import.

    ``/?p=123`` is looked up before the view (the home page would answer it); any other
    path only when the site has no page there (a 404).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isdigit():
                    redirect = self.redirect(f"/?{key}={value}")
                    if redirect is not None:
                        return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            full = request.get_full_path()
            return self.redirect(full) or self.redirect(request.path) or response
        return response

    def redirect(self, path: str):
        legacy = LegacyURL.objects.filter(path=path).first()
        target = legacy.target if legacy else None
        if target is None:
            return None
        return HttpResponsePermanentRedirect(target.get_absolute_url())
