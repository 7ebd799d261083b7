"""Starting a commenting login, finishing it in a popup, logging out, and avatars."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from samizdat.core.csrf import origin_checked
from samizdat.core.redirects import local_url
from samizdat.identity import services
from samizdat.identity.app_settings import app_settings
from samizdat.identity.avatars import avatar_svg


def render_popup_page(
    request: HttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """Render a page that may end a login popup.

    The popup passed through the provider's site; only a page that does not isolate
    itself (COOP unsafe-none) keeps the link to the comment form that opened it.
    """
    response = render(request, template, context, status=status)
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


def _problem(request: HttpRequest, message: str, back: str, status: int = 400) -> HttpResponse:
    return render_popup_page(
        request, "identity/problem.html", problem_context(message, back), status
    )


def problem_context(message: str, back: str) -> dict:
    return {
        "message": message,
        "back": back,
        "login_result": {"type": "samizdat:login-error", "message": message},
    }


@origin_checked
@require_POST
def login_start(request: HttpRequest) -> HttpResponse:
    """Keep the reader's draft, then send them (or their popup) to the provider.

    The comment form posts here with its draft and CSRF token; a GET cannot start a
    login, so no other site can start one on a reader's behalf.
    """
    entry = services.entry_from_request(request)
    back = entry.get_absolute_url() + "#respond" if entry else reverse("publishing:home")
    if entry is not None:
        services.stash_draft(request, entry, request.POST)
    next_url = local_url(request, request.POST.get("next"))
    if next_url is None:
        return _problem(
            request,
            _(
                "That login asked to return to another site, so it was stopped. "
                "Your comment is kept; go back to it and try again."
            ),
            back,
        )
    popup = request.POST.get("popup") == "1"
    finish = reverse("identity:popup-done") if popup else next_url.split("#")[0] + "#respond"
    provider_id = request.POST.get("provider", "")
    if provider_id.startswith("setup:") and settings.DEMO:
        return _problem(request, _setup_hint(provider_id.removeprefix("setup:")), back, 200)
    if provider_id == "mastodon":
        return _start_mastodon(request, finish, back)
    if provider_id == "email" and app_settings.EMAIL_ACCOUNTS:
        return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": finish}))
    try:
        provider = get_social_adapter().get_provider(request, provider_id)
    except Exception:
        return _problem(request, _("That way of logging in is not available here."), back, 404)
    return provider.redirect(request, AuthProcess.LOGIN, next_url=finish)


def _setup_hint(kind: str) -> str:
    """Say how the site owner sets up a provider the demo shows but has no app for."""
    from samizdat.identity.app_settings import PROVIDER_KINDS, PROVIDER_SETUP

    if kind not in PROVIDER_SETUP:
        return _("That way of logging in is not available here.")
    provider_id, name = PROVIDER_KINDS[kind]
    return _(
        "%(name)s logins are not set up on this demo site: they need an app registered "
        "at %(where)s, with the callback URL %(callback)s. Then run: samizdat providers add "
        "%(kind)s --client-id ID --secret SECRET. Meanwhile, try the Demo account."
    ) % {
        "name": name,
        "where": PROVIDER_SETUP[kind],
        "callback": f"/accounts/{provider_id}/login/callback/",
        "kind": kind,
    }


def _start_mastodon(request: HttpRequest, finish: str, back: str) -> HttpResponse:
    """Register with the reader's Mastodon server on first use, then send them there."""
    from allauth.socialaccount.models import SocialApp

    from samizdat.identity.providers.mastodon import instances
    from samizdat.identity.providers.mastodon.provider import MastodonProvider
    from samizdat.identity.providers.mastodon.views import instance_app

    if not SocialApp.objects.filter(provider="mastodon").exists():
        return _problem(request, _("That way of logging in is not available here."), back, 404)
    try:
        domain = instances.normalize_domain(request.POST.get("mastodon_instance", ""))
        instance = instances.get_or_register(
            domain,
            redirect_uri=request.build_absolute_uri(reverse("mastodon_callback")),
            website=request.build_absolute_uri("/"),
        )
    except instances.InstanceError as error:
        return _problem(request, str(error), back)
    provider = MastodonProvider(request, app=instance_app(instance))
    return provider.redirect(request, AuthProcess.LOGIN, next_url=finish, instance=domain)


@require_GET
def popup_done(request: HttpRequest) -> HttpResponse:
    """End of the popup flow: tell the opening page who logged in, then close."""
    identity = services.current_identity(request)
    back = services.draft_return_url(request)
    data = identity.as_json() if identity else None
    return render_popup_page(
        request,
        "identity/popup_done.html",
        {
            "identity": data,
            "back": back,
            "login_result": {"type": "samizdat:login", "identity": data}
            if data
            else {"type": "samizdat:login-error", "message": _("The login did not complete.")},
        },
    )


@require_GET
def me(request: HttpRequest) -> JsonResponse:
    """Return the reader's identity and own parts of a page, for the comment form's script."""
    identity = services.current_identity(request)
    from samizdat.antispam.tokens import new_token

    # A login or logout rotates the CSRF token: the form's script takes the new one here,
    # with the signed time the spam checks measure typing from.
    answer = {
        "identity": identity.as_json() if identity else None,
        "csrf_token": get_token(request),
        "form_token": new_token(),
    }
    # On a shared page (?post_id= or ?page_id=, and the comments page): the reader's
    # own parts of it.
    entry = services.entry_from_request(request, request.GET)
    if entry is not None:
        from samizdat.discussion.personal import personal_parts

        page = request.GET.get("page", "1")
        page_number = int(page) if page.isdigit() and len(page) < 9 else 1
        answer.update(personal_parts(request, entry, page_number))
    response = JsonResponse(answer)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the commenting login; answer the script with JSON, a plain form with a redirect."""
    entry = services.entry_from_request(request)
    get_account_adapter().logout(request)
    if entry is not None:
        # Logging out from the comment form keeps what was typed in it.
        services.stash_draft(request, entry, request.POST)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"identity": None, "csrf_token": get_token(request)})
    if entry is not None:
        # Back to the form with the draft in it, rendered for this reader.
        return HttpResponseRedirect(services.draft_return_url(request))
    next_url = local_url(request, request.POST.get("next")) or reverse("publishing:home")
    return HttpResponseRedirect(next_url.split("#")[0] + "#respond")


@require_GET
@cache_control(public=True, max_age=86400)
def avatar(request: HttpRequest, key: str) -> HttpResponse:
    """Draw a guest's avatar."""
    return HttpResponse(avatar_svg(key, request.GET.get("i", "?")), content_type="image/svg+xml")
