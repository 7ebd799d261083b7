"""The pages that mail links open. Opening one changes nothing: a button POSTs.

Mail scanners open every link in a message before its reader does; if a GET approved a
comment or confirmed an address, the scanner would have done it. Every page here is
private to its link, so none is cached.
"""

from __future__ import annotations

import json

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from samizdat.desk import services as desk
from samizdat.discussion.models import Comment
from samizdat.notifications import services, tasks, tokens
from samizdat.notifications.models import StaffMail, Subscriber, Subscription

methods = require_http_methods(["GET", "POST"])


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, f"notifications/{template}.html", context, status=status)


def _bad_link(request, error: tokens.BadLink):
    return _page(
        request,
        "message",
        {
            "title": "This link has expired" if error.expired else "This link does not work",
            "message": (
                "Links in our mail work for a limited time. Nothing was changed."
                if error.expired
                else "It may have been cut short or changed on its way. Nothing was changed."
            ),
        },
        status=400,
    )


@never_cache
@methods
def confirm(request, token: str):
    """Confirm an address: its subscriptions start mailing."""
    try:
        email = tokens.read("confirm", token, e=str)["e"]
    except tokens.BadLink as error:
        return _bad_link(request, error)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        return _page(
            request,
            "message",
            {"title": "Nothing to confirm", "message": "This address has no subscriptions."},
        )
    if request.method == "POST":
        services.confirm(email)
        return _page(
            request,
            "message",
            {
                "title": "Subscription confirmed",
                "message": f"We will mail {email} as you asked.",
                "manage_url": services.manage_url(email),
            },
        )
    return _page(request, "confirm", {"email": email, "subscriber": subscriber})


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no token
@methods
def unsubscribe(request, token: str):
    """End one subscription: one click in the mail client, or the button here."""
    try:
        subscription_id = tokens.read("unsubscribe", token, s=int)["s"]
    except tokens.BadLink as error:
        return _bad_link(request, error)
    subscription = (
        Subscription.objects.filter(pk=subscription_id).select_related("post", "subscriber").first()
    )
    if request.method == "POST":
        services.unsubscribe(subscription_id)
        return _page(
            request,
            "message",
            {
                "title": "Unsubscribed",
                "message": "You will get no more of these mails.",
                "manage_url": services.manage_url(subscription.subscriber.email)
                if subscription
                else "",
            },
        )
    if subscription is None:
        return _page(
            request,
            "message",
            {"title": "Unsubscribed", "message": "This subscription has already ended."},
        )
    return _page(request, "unsubscribe", {"subscription": subscription})


@never_cache
@methods
def manage(request, token: str):
    """Every subscription of one address: change what each sends, or stop it."""
    try:
        email = tokens.read("manage", token, e=str)["e"]
    except tokens.BadLink as error:
        return _bad_link(request, error)
    notice = ""
    subscriptions = Subscription.objects.filter(subscriber__email=email).select_related("post")
    if request.method == "POST":
        action = request.POST.get("action", "")
        target = subscriptions.filter(pk=desk.parse_id(request.POST.get("id")))
        if action == "stop":
            target.delete()
            notice = "That subscription has ended."
        elif action == "stop_all":
            subscriptions.delete()
            notice = "Every subscription of this address has ended."
        elif action in (Subscription.Kind.ALL, Subscription.Kind.REPLIES):
            target.exclude(kind=Subscription.Kind.POSTS).update(kind=action)
            notice = "Saved."
        elif action == "data":
            tasks.send_data_link.enqueue(email)
            notice = f"We are sending a link to {email}: open it to download or erase your data."
    return _page(
        request,
        "manage",
        {
            "email": email,
            "subscriptions": list(subscriptions.order_by("kind", "-created_at")),
            "notice": notice,
            "kinds": [
                (Subscription.Kind.ALL, Subscription.Kind.ALL.label),
                (Subscription.Kind.REPLIES, Subscription.Kind.REPLIES.label),
            ],
        },
    )


@never_cache
@methods
def start(request):
    """Ask for a link to manage an address's subscriptions (sent to that address only)."""
    sent = ""
    if request.method == "POST":
        email = services.normalize(request.POST.get("email", ""))
        if "@" in email and len(email) <= 254:
            if Subscriber.objects.filter(email=email).exists():
                tasks.send_manage_link.enqueue(email)
            # The same answer either way: the page does not tell who subscribes.
            sent = email
    return _page(request, "start", {"sent": sent})


@never_cache
@methods
def data(request, token: str):
    """Download or erase what the site holds about an address (link mailed on request)."""
    try:
        email = tokens.read("data", token, max_age_days=1, e=str)["e"]
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST" and request.POST.get("action") == "download":
        response = HttpResponse(
            json.dumps(services.export(email), indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    if request.method == "POST" and request.POST.get("action") == "erase":
        count = services.erase(email, remove_text=bool(request.POST.get("remove_text")))
        return _page(
            request,
            "message",
            {
                "title": "Erased",
                "message": f"{count} comment(s) no longer carry your name, address, website "
                "or IP address, and your subscriptions have ended.",
            },
        )
    comments = Comment.objects.filter(author_email__iexact=email).count()
    return _page(request, "data", {"email": email, "comments": comments})


@never_cache
@methods
def moderate(request, token: str):
    """Approve, mark as spam or trash a comment from the writer's mail."""
    try:
        given = tokens.read("moderate", token, c=int, u=int, a=str)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    comment_id, user_id, action = given["c"], given["u"], given["a"]
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    comment = Comment.objects.select_related("post", "page").filter(pk=comment_id).first()
    if user is None or comment is None or action not in services.MODERATION_ACTIONS:
        return _page(
            request,
            "message",
            {"title": "Nothing to do", "message": "That comment is no longer here."},
            status=404 if comment is None else 400,
        )
    target = {"approve": "approved", "spam": "spam", "trash": "trash"}[action]
    label = services.MODERATION_ACTIONS[action]
    context = {"comment": comment, "action": action, "label": label}
    if comment.status == target:
        return _page(
            request,
            "message",
            {
                "title": "Already done",
                "message": f"This comment is already {comment.get_status_display().lower()}.",
            },
        )
    if request.method == "POST":
        try:
            desk.perform(action, [comment.pk], user)
        except desk.ActionRefused as refused:
            return _page(
                request, "message", {"title": "Not done", "message": str(refused)}, status=403
            )
        comment.refresh_from_db()
        return _page(
            request,
            "message",
            {
                "title": "Done",
                "message": f"The comment is now {comment.get_status_display().lower()}.",
                "entry_url": comment.entry.get_absolute_url(),
            },
        )
    return _page(request, "moderate", context)


@never_cache
@staff_member_required
@methods
def staff_settings(request):
    """A staff member's own choice of comment mail."""
    setting = StaffMail.objects.filter(user=request.user).first()
    saved = False
    if request.method == "POST":
        choice = request.POST.get("comments")
        if choice in StaffMail.Choice.values:
            StaffMail.objects.update_or_create(user=request.user, defaults={"comments": choice})
            setting = StaffMail.objects.get(user=request.user)
            saved = True
    return _page(
        request,
        "staff",
        {
            "choices": StaffMail.Choice.choices,
            "current": setting.comments if setting else None,
            "saved": saved,
        },
    )
