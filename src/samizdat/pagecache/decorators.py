"""Mark the views whose anonymous responses may be shared between readers."""

from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser


def reader_page(view):
    """Let the page cache keep this view's responses, and serve them to every reader.

    A page rendered to be shared is rendered as for a reader with no session and no
    login, whoever asked for it: nothing of theirs (a pending comment, a remembered name,
    a login, an unlocked password) can end up in a page others are served. Their own
    parts come from one small request the page makes (``/identity/me/``).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.page_cache_view = True
        if getattr(request, "page_cache", None) is None:
            return view(request, *args, **kwargs)
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            # Staff pages carry moderation buttons and what waits: rendered for them (the
            # staff cookie keeps them off the hit path; this holds without it too).
            request.page_cache = None
            return view(request, *args, **kwargs)
        request._page_cache_reader = (session, user)
        # A session of no one, never saved; the reader's own is put back before the
        # session middleware sees the response (it would otherwise end an empty one).
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        request.user = AnonymousUser()
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a TemplateResponse: rendered as the same nobody
        finally:
            request.session, request.user = session, user
        return response

    return wrapper


def not_shared(request) -> None:
    """This page is the reader's own (a password-protected post): render it with their
    session and login, and never keep it."""
    reader = getattr(request, "_page_cache_reader", None)
    if reader is not None:
        request.session, request.user = reader
    request.page_cache = None
