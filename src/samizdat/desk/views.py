"""The comments desk: queues, inline actions, undo. Thin: the work is in services."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from samizdat.core.redirects import local_url
from samizdat.desk import services
from samizdat.publishing.models import Page, Post

NOTICE_KEY = "samizdat_desk_notice"


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Desk") == "1"


def _back(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next")) or reverse("desk:queue")


@require_GET
@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    """A queue of comments, newest first, with their authors' histories."""
    filter = services.QueueFilter.from_query(request.GET)
    counts = services.queue_counts(filter)
    page = services.queue_page(filter, request.GET.get("p"), counts)
    entry = None
    if filter.post_id:
        entry = Post.objects.filter(pk=filter.post_id).only("title").first()
    elif filter.page_id:
        entry = Page.objects.filter(pk=filter.page_id).only("title").first()
    return TemplateResponse(
        request,
        "desk/queue.html",
        {
            **_desk_context(request),
            "filter": filter,
            "counts": counts,
            "queues": services.QUEUES,
            "page_obj": page,
            "rows": services.rows_for(list(page.object_list)),
            "entry": entry,
            "notice": request.session.pop(NOTICE_KEY, None),
            "here": request.get_full_path(),
            "title": "Comments",
        },
    )


def _permissions(request: HttpRequest) -> dict:
    return {
        "can_change": request.user.has_perm("discussion.change_comment"),
        "can_delete": request.user.has_perm("discussion.delete_comment"),
    }


def _desk_context(request: HttpRequest) -> dict:
    # No sidebar: the queue needs the width, above all on a phone.
    return {
        **admin.site.each_context(request),
        **_permissions(request),
        "is_nav_sidebar_enabled": False,
    }


def _answer(request: HttpRequest, outcome=None, error: str | None = None) -> HttpResponse:
    """Answer an action: rows as HTML for the desk's script, or a redirect with a notice."""
    message = error or outcome.message
    if _wants_json(request):
        rows = {}
        if outcome is not None and outcome.ids:
            context = {**_permissions(request), "here": _back(request), "undo": outcome.undo}
            for row in services.fetch_rows(outcome.ids):
                rows[row.comment.pk] = render_to_string(
                    "desk/_row.html", {**context, "row": row}, request=request
                )
        return JsonResponse(
            {
                "ok": error is None,
                "message": message,
                "rows": rows,
                "undo": outcome.undo if outcome else None,
                "removed": outcome.removed if outcome else [],
                # The counts of the queue the moderator is looking at (one post's, perhaps),
                # and the site's pending count for the badge.
                "counts": services.queue_counts(_queue_of(_back(request))),
                "pending": services.pending_count(),
            },
            status=200 if error is None else 400,
        )
    request.session[NOTICE_KEY] = {
        "message": message,
        "error": error is not None,
        "undo": outcome.undo if outcome else None,
    }
    return HttpResponseRedirect(_back(request))


def _queue_of(url: str) -> services.QueueFilter:
    """The queue a desk URL shows (its status, post or page, search)."""
    return services.QueueFilter.from_query(QueryDict(urlsplit(url).query))


@require_POST
@staff_member_required
def act(request: HttpRequest) -> HttpResponse:
    """Approve, unapprove, spam, trash, restore, delete, edit or reply; one or many."""
    # Digits only, and short enough for a database integer: anything else is ignored.
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit() and len(v) <= 18]
    action = request.POST.get("action", "")
    if not ids:
        return _answer(request, error="Select one or more comments first.")
    try:
        outcome = services.perform(action, ids, request.user, request.POST)
    except services.ActionRefused as refused:
        return _answer(request, error=refused.message)
    return _answer(request, outcome)


@require_POST
@staff_member_required
def undo(request: HttpRequest) -> HttpResponse:
    try:
        outcome = services.undo(request.POST.get("token", ""), request.user)
    except services.ActionRefused as refused:
        return _answer(request, error=refused.message)
    return _answer(request, outcome)


@require_POST
@staff_member_required
def empty(request: HttpRequest) -> HttpResponse:
    """Empty Spam or Empty Trash."""
    status = request.POST.get("status", "")
    try:
        deleted = services.empty(status, request.user)
    except services.ActionRefused as refused:
        return _answer(request, error=refused.message)
    outcome = services.Outcome(services.count_message(deleted, "deleted permanently"), [])
    return _answer(request, outcome)
