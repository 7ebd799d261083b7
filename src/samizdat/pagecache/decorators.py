"""Mark the views whose anonymous responses may be shared between readers."""

from functools import wraps


def reader_page(view):
    """Let the page cache keep this view's responses to readers without a session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.page_cache_view = True
        return view(request, *args, **kwargs)

    return wrapper
