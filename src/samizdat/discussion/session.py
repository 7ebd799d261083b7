"""What the reader's session remembers between comments.

The author of a pending comment sees it until it is moderated (WordPress keeps
this in a cookie); readers who ask are remembered for the next comment.
"""

from __future__ import annotations

from django.http import HttpRequest

from samizdat.discussion.models import Comment

PENDING_KEY = "samizdat_pending_comments"
AUTHOR_KEY = "samizdat_comment_author"
PENDING_LIMIT = 50


def existing_session(request: HttpRequest):
    """Return the reader's session if they have one, else None.

    Reading a key from a session the reader does not have must not start one: that
    would set a cookie (and write a row) for every anonymous reader.
    """
    session = getattr(request, "session", None)
    if session is None or (session.session_key is None and not session.modified):
        return None
    return session


def pending_ids(request: HttpRequest) -> list[int]:
    """Return the ids of this reader's comments that may still be pending."""
    session = existing_session(request)
    if session is None:
        return []
    return [int(pk) for pk in session.get(PENDING_KEY, [])]


def remember_pending(request: HttpRequest, comment: Comment) -> None:
    ids = [*pending_ids(request), comment.pk][-PENDING_LIMIT:]
    request.session[PENDING_KEY] = ids


def remembered_author(request: HttpRequest) -> dict[str, str]:
    session = existing_session(request)
    return dict(session.get(AUTHOR_KEY, {})) if session is not None else {}


def remember_author(request: HttpRequest, comment: Comment, remember: bool) -> None:
    if remember:
        request.session[AUTHOR_KEY] = {
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "remember": True,
        }
    elif AUTHOR_KEY in request.session:
        del request.session[AUTHOR_KEY]
