"""Refuse what no page can use before any view or database sees it."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.deprecation import MiddlewareMixin

NUL = "\x00"


class RejectNulMiddleware(MiddlewareMixin):
    """A NUL character in the address, the query or a form field: 400, not a 500.

    PostgreSQL refuses NUL in text ("DataError: NUL bytes") wherever a view passes it
    on (a slug, a search, the old-link lookup); SQLite would store it. No address or
    field of the site needs one.
    """

    def process_request(self, request):
        if (
            NUL in request.path
            or NUL in request.META.get("QUERY_STRING", "")
            or any(NUL in value for values in request.GET.lists() for value in values[1])
        ):
            return self._refuse()
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                posted = request.POST
            except Exception:  # an unreadable body is the view's to answer, as before
                return None
            if any(NUL in value for _name, values in posted.lists() for value in values):
                return self._refuse()
        return None

    @staticmethod
    def _refuse():
        return HttpResponseBadRequest(
            "Bad request: the address or a field contains a NUL character.",
            content_type="text/plain; charset=utf-8",
        )
