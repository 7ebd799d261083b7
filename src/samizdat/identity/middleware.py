"""Let the login popup keep its link to the comment form that opened it."""

from __future__ import annotations

from django.urls import reverse


class LoginPopupOpenerMiddleware:
    """Send ``Cross-Origin-Opener-Policy: unsafe-none`` on the pages a login popup visits.

    The popup goes from samizdat (start) to the provider and back (callback, last page).
    Any isolating policy on that way puts the popup in a new browsing context group,
    and ``window.opener`` is gone when the last page wants to report back. Every other
    page keeps the site's policy (SECURE_CROSS_ORIGIN_OPENER_POLICY).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes: tuple[str, ...] | None = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.prefixes is None:
            self.prefixes = (reverse("identity:login").rsplit("/", 2)[0] + "/", "/accounts/")
        if request.path.startswith(self.prefixes):
            response.headers.setdefault("Cross-Origin-Opener-Policy", "unsafe-none")
        return response
