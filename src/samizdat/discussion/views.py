"""Posting a comment, and the comment permalink."""

from __future__ import annotations

import errno

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from samizdat.core.csrf import origin_checked
from samizdat.discussion import session
from samizdat.discussion.forms import CommentForm
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.moderation import AlreadyPosted, CommentRejected
from samizdat.discussion.services import post_comment
from samizdat.discussion.threads import comment_url
from samizdat.identity.services import current_identity
from samizdat.publishing.models import Page, Post
from samizdat.publishing.views import is_unlocked, render_page, render_post


@origin_checked
@require_POST
def post_comment_view(request: HttpRequest) -> HttpResponse:
    """Take the "Leave a Reply" form; on any error show it again with the text kept."""
    post = _target(request)
    if post is None:
        return _entry_gone(request)
    identity = current_identity(request)
    form = CommentForm(request.POST, identity=identity)
    if identity is not None:
        # A logged-in reader's typed guest fields are not checked: they are not used.
        form.data = form.data.copy()
        for name in ("author_name", "author_email", "author_url"):
            form.data[name] = ""
    if form.is_valid():
        try:
            comment = post_comment(
                post, form.draft(), request, user=request.user, identity=identity
            )
        except AlreadyPosted as retry:
            # A retry of a comment already stored (its answer was lost): land on it.
            comment = retry.comment
            if comment.status == CommentStatus.PENDING:
                session.remember_pending(request, comment)
            if identity is None:
                session.remember_author(request, comment, form.cleaned_data.get("remember", False))
            return HttpResponseRedirect(_url_of(comment))
        except DatabaseError as error:
            if not storage_full(error):
                raise
            return _cannot_store(request, post, form)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
            return _cannot_store(request, post, form)
        except CommentRejected as rejection:
            if rejection.field == "parent":
                # The comment being answered has gone (deleted, or unapproved). Keep the
                # text, forget the parent: the next press posts it as a new comment.
                form.data = form.data.copy()
                form.data["parent_id"] = ""
            form.add_error(None, rejection.message)
        else:
            if comment.status == CommentStatus.PENDING:
                session.remember_pending(request, comment)
            if identity is None:
                session.remember_author(request, comment, form.cleaned_data.get("remember", False))
            return HttpResponseRedirect(_url_of(comment))
    if isinstance(post, Page):
        return render_page(request, post, form=form, status=400)
    return render_post(request, post, form=form, status=400)


def _url_of(comment) -> str:
    """The stored comment's address; work after the commit never turns it into an error.

    Its page number takes a query: should the database go away just after the commit,
    the reader is sent to the post with the comment's anchor instead of a 500.
    """
    try:
        url = comment_url(comment)
    except DatabaseError:
        url = f"{comment.entry.get_absolute_url()}#comment-{comment.pk}"
    if comment.status == CommentStatus.PENDING:
        # As WordPress does: an address of its own (never from the page cache), where
        # the reader sees their comment awaiting moderation even without scripts.
        address, anchor = url.split("#", 1)
        url = f"{address}?unapproved={comment.pk}#{anchor}"
    return url


def storage_full(error: DatabaseError) -> bool:
    """SQLite's "database or disk is full", PostgreSQL's "No space left on device"."""
    text = str(error).lower()
    return "disk is full" in text or "no space left" in text or "disk full" in text


def _cannot_store(request: HttpRequest, entry, form) -> HttpResponse:
    """The disk is full: say so plainly, keep the reader's text, ask to try again later."""
    response = render(
        request,
        "discussion/cannot_store.html",
        {"entry": entry, "body": form.cleaned_data.get("body", "")},
        status=503,
    )
    response["Retry-After"] = "300"
    return response


def _target(request: HttpRequest) -> Post | Page | None:
    """Return the live post (or published page) the form was posted for, or None."""
    field, queryset = "post_id", Post.objects.live()
    if request.POST.get("page_id") and not request.POST.get("post_id"):
        field, queryset = "page_id", Page.objects.filter(published=True)
    try:
        pk = int(request.POST.get(field, ""))
    except ValueError:
        return None
    if not 0 < pk < 2**63:  # beyond a database integer: no such post, not an OverflowError
        return None
    # Draft and private posts do not exist for readers, as their pages do not.
    entry = queryset.filter(pk=pk).first()
    if isinstance(entry, Post) and not is_unlocked(request, entry):
        return None
    return entry


def _entry_gone(request: HttpRequest) -> HttpResponse:
    """Answer a comment for a post that is gone with a 404 that still shows its text."""
    return render(
        request,
        "discussion/entry_gone.html",
        {"body": request.POST.get("body", "")},
        status=404,
    )


def comment_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Redirect to the page and anchor where an approved comment is shown."""
    comment = get_object_or_404(
        Comment.objects.select_related("post", "page"), pk=pk, status=CommentStatus.APPROVED
    )
    if not comment.entry.is_live:
        raise Http404("No such comment.")
    return HttpResponseRedirect(comment_url(comment))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Show the comment form again, text kept, when it came without a valid CSRF token.

    Pages served from the page cache carry no token; their script fetches one. A reader
    without scripts (or whose token expired) gets the form back with a fresh token and
    everything typed, and submits again. Other forms get Django's own page.
    """
    from django.urls import reverse
    from django.views.csrf import csrf_failure as django_csrf_failure

    from samizdat.identity.services import entry_from_request

    paths = (reverse("discussion:post-comment"), reverse("identity:login"))
    entry = entry_from_request(request) if request.path in paths else None
    if entry is None or request.method != "POST":
        return django_csrf_failure(request, reason)
    form = CommentForm(request.POST, identity=current_identity(request))
    form.is_valid()
    form.add_error(
        None,
        "Your comment has not been posted yet: this page needed a fresh security token. "
        "Everything you typed is kept; press the button again to send it.",
    )
    if isinstance(entry, Page):
        return render_page(request, entry, form=form, status=403)
    return render_post(request, entry, form=form, status=403)
