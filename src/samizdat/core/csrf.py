"""CSRF protection that a page from the page cache allows.

Pages shared by the page cache carry no CSRF token (it would be another reader's).
The comment form's script fetches the reader's own; a reader without scripts posts
with none. For the views marked ``@origin_checked`` a POST is accepted without a
token when the browser says it comes from this site: its ``Origin`` header names one
of the site's own origins (as Django checks it: the request's host and scheme, or
``CSRF_TRUSTED_ORIGINS``), or, without ``Origin``, ``Sec-Fetch-Site: same-origin``.
Every browser sends ``Origin`` on a form POST; another site cannot forge either
header from a page. A request with neither (curl, an old client) needs the token,
as everywhere else.
"""

from __future__ import annotations

from django.middleware.csrf import CsrfViewMiddleware


def origin_checked(view):
    """Mark a view whose POSTs may prove their origin by the browser's headers alone."""
    view.csrf_origin_checked = True
    return view


def same_origin(middleware: CsrfViewMiddleware, request) -> bool:
    """Return whether the browser says the request comes from one of the site's origins."""
    if "HTTP_ORIGIN" in request.META:
        # Django's own check: the host and scheme, or a trusted origin; "null" fails.
        return middleware._origin_verified(request)
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


class OriginCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF middleware, letting marked views accept a verified same-origin POST."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method == "POST"
            and getattr(callback, "csrf_origin_checked", False)
            and same_origin(self, request)
        ):
            return self._accept(request)
        return super().process_view(request, callback, callback_args, callback_kwargs)
