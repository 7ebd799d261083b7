"""A reader's own parts of a page the page cache shares: what ``/identity/me/`` adds.

The shared page is the same for every reader; these parts are this reader's alone,
answered privately (``no-store``): their comments waiting for moderation, the name and
address they asked to be remembered, and the draft kept across a full-page login.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import HttpRequest
from django.template.loader import render_to_string

from samizdat.discussion.moderation import get_moderator
from samizdat.discussion.session import pending_ids, remembered_author
from samizdat.discussion.threads import CommentNode, comment_page


def personal_parts(request: HttpRequest, entry, page_number: int) -> dict:
    """This reader's parts of ``entry``'s page of comments ``page_number``."""
    from samizdat.identity.services import current_identity, pop_draft
    from samizdat.publishing.views import is_unlocked

    parts: dict = {"author": None, "pending": [], "draft": None}
    if getattr(entry, "password", "") and not is_unlocked(request, entry):
        return parts
    if current_identity(request) is None:
        author = remembered_author(request)
        if author:
            parts["author"] = {k: author.get(k, "") for k in ("author_name", "author_email",
                                                              "author_url")}  # fmt: skip
            parts["author"]["remember"] = bool(author.get("remember"))
    draft = pop_draft(request, entry)
    if draft:
        parts["draft"] = {"body": draft.get("body", ""), "parent_id": draft.get("parent_id", "")}
    mine = pending_ids(request)
    if mine:
        parts["pending"] = _pending_markup(request, entry, page_number, mine)
    return parts


def _pending_markup(request, entry, page_number: int, mine: list[int]) -> list[dict]:
    """The reader's pending comments on this page, rendered as the page renders comments."""
    from samizdat.pagecache.middleware import depends_on_entry
    from samizdat.publishing.views import comment_markup_context

    try:
        discussion = comment_page(entry, page_number, mine)
    except InvalidPage:  # a page number past the end: nothing of theirs on it
        return []
    found: list[tuple[CommentNode, int | None]] = []

    def walk(nodes: list[CommentNode], holder: int | None) -> None:
        for node in nodes:
            if node.pending:
                found.append((node, holder))
            walk(node.replies, node.comment.pk)

    walk(discussion.nodes, None)
    # Keyed as the page keys comment markup: an edit or a moderation of the pending
    # comment replaces its entry's generation, so no stale markup is given back.
    context = comment_markup_context(
        entry,
        discussion,
        get_moderator().comments_open(entry),
        False,
        depends_on_entry(request, entry),
    )
    return [
        {
            "id": node.comment.pk,
            "in": holder,  # the comment whose replies it is shown among; None: top level
            "html": render_to_string(
                "discussion/comment.html", {**context, "node": node}, request=request
            ),
        }
        for node, holder in found
    ]
