"""The site's 500 view: a database that cannot be reached is a 503, not a server error."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

#: Seconds a client is asked to wait: a restart or a failover takes about this long.
RETRY_AFTER = 30


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unhandled error; say "try again" with the reader's text when the database is away.

    A database restart, a failover, a full connection pool or SQLite's lock held past its
    timeout raise OperationalError (InterfaceError for a connection already closed).
    Nothing is wrong with the request: it is answered 503 with ``Retry-After``, and a
    comment's text comes back so that nothing typed is lost.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return HttpResponseServerError(loader.render_to_string("500.html"))
    # Rendered with no context processor and no database: nothing here may fail in turn.
    response = HttpResponse(
        loader.render_to_string("503.html", {"body": _typed_text(request)}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _typed_text(request: HttpRequest) -> str:
    """The comment (or other long text) the reader posted, if any."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("body", "")
    except Exception:  # an unreadable body has no text to give back
        return ""
