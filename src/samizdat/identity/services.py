"""Who the reader is commenting as, and the draft they must not lose while logging in."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from samizdat.discussion.session import existing_session
from samizdat.identity.app_settings import app_settings
from samizdat.identity.avatars import guest_avatar_url

IDENTITY_KEY = "samizdat_identity"
DRAFT_KEY = "samizdat_draft"
#: Added to a post's address when a draft waits there: the page is then the reader's own.
DRAFT_QUERY = "draft=kept"
DRAFT_FIELDS = ("body", "parent_id", "author_name", "author_email", "author_url")
NAME_FIELDS = ("display_name", "name", "preferred_username", "username", "login", "screen_name")


@dataclass(frozen=True)
class CommenterIdentity:
    """The identity a comment is posted with, as recorded on the comment."""

    provider: str  # allauth provider id ("wordpress_com", "github", ...) or "email"
    provider_name: str  # "WordPress.com"
    uid: str
    display_name: str
    avatar_url: str
    profile_url: str
    email: str  # a verified address, or ""

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data.pop("email")
        data.pop("uid")
        return data


def provider_display_name(account: SocialAccount) -> str:
    """Return the provider's shown name, e.g. "WordPress.com" or an OIDC app's name."""
    try:
        name = account.get_provider().app.name or account.get_provider().name
        # "You are commenting using your Demo account.", not "...Demo account account."
        return name.removesuffix(" account") or name
    except Exception:
        return account.provider.replace("_", " ").title()


def display_name_for(account: SocialAccount, provider_name: str) -> str:
    """Return a usable name even when the provider's profile has none."""
    data = account.extra_data or {}
    for field in NAME_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    user = account.user
    if user.get_full_name().strip():
        return user.get_full_name().strip()
    email = data.get("email") or user.email
    if email and "@" in email:
        return email.split("@", 1)[0][:200]
    return f"{provider_name} user {account.uid[-6:]}"


def verified_email(user) -> str:
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return address.email if address else ""


def identity_from_account(account: SocialAccount) -> CommenterIdentity:
    provider_name = provider_display_name(account)
    wrapped = account.get_provider_account() if _has_provider(account) else None
    name = display_name_for(account, provider_name)
    email = verified_email(account.user)
    avatar = (wrapped.get_avatar_url() if wrapped else None) or guest_avatar_url(email, name)
    profile = (wrapped.get_profile_url() if wrapped else None) or ""
    return CommenterIdentity(
        provider=account.provider,
        provider_name=provider_name,
        uid=account.uid,
        display_name=name,
        avatar_url=avatar,
        profile_url=profile if profile.startswith(("https://", "http://")) else "",
        email=email,
    )


def _has_provider(account: SocialAccount) -> bool:
    try:
        account.get_provider()
    except Exception:
        return False
    return True


def current_identity(request: HttpRequest) -> CommenterIdentity | None:
    """Return the identity the logged-in reader comments with, or None for a guest."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    chosen = request.session.get(IDENTITY_KEY) or {}
    accounts = SocialAccount.objects.filter(user=user).order_by("-last_login")
    account = None
    if chosen:
        account = accounts.filter(provider=chosen.get("provider"), uid=chosen.get("uid")).first()
    account = account or accounts.first()
    if account is not None:
        return identity_from_account(account)
    name = user.get_full_name().strip() or user.get_username()
    email = verified_email(user) or user.email
    return CommenterIdentity(
        provider="email",
        provider_name=settings.SAMIZDAT_SITE_NAME,
        uid=str(user.pk),
        display_name=name,
        avatar_url=guest_avatar_url(email, name),
        profile_url="",
        email=email,
    )


def remember_identity(request: HttpRequest, account: SocialAccount) -> None:
    request.session[IDENTITY_KEY] = {"provider": account.provider, "uid": account.uid}


def forget_identity(request: HttpRequest) -> None:
    request.session.pop(IDENTITY_KEY, None)


def configured_providers(request: HttpRequest) -> list[dict[str, str]]:
    """Return the login buttons: one per provider the site owner has configured."""
    from samizdat.pagecache.store import remember

    # Read once per change to the site (saving a SocialApp is one), not on every page.
    buttons = list(remember("login-providers", lambda: _configured_apps(request)))
    if settings.DEMO:
        buttons += _setup_buttons(buttons)
    if app_settings.EMAIL_ACCOUNTS:
        buttons.append({"id": "email", "kind": "email", "name": _("Email")})
    return buttons


def _configured_apps(request: HttpRequest) -> list[dict[str, str]]:
    buttons = []
    for app in get_social_adapter().list_apps(request):
        provider = app.get_provider(request)
        if provider.id == "openid_connect" and not app.provider_id:
            continue
        buttons.append(
            {"id": provider.sub_id, "kind": provider.id, "name": app.name or provider.name}
        )
    # WordPress.com's own order first, as on its comment form; other servers after.
    order = ["wordpress_com", "twitter_oauth2", "facebook", "github", "google",
             "openid_connect", "mastodon"]  # fmt: skip
    buttons.sort(
        key=lambda b: (order.index(b["kind"]) if b["kind"] in order else 99, b["name"].lower())
    )
    return buttons


def _setup_buttons(configured: list[dict[str, str]]) -> list[dict[str, str]]:
    """On the demo site: buttons for WordPress.com, X and Facebook that are not set up yet.

    They show the site as a configured one looks; pressed, they say how to set them up.
    """
    from samizdat.identity.app_settings import PROVIDER_KINDS, PROVIDER_SETUP

    have = {button["kind"] for button in configured}
    buttons = []
    for kind in PROVIDER_SETUP:
        provider_id, name = PROVIDER_KINDS[kind]
        if provider_id not in have:
            buttons.append(
                {"id": f"setup:{kind}", "kind": provider_id, "name": name, "setup": kind}
            )
    return buttons


def entry_key(entry) -> str:
    """Name a post or page in the session: "post:12" or "page:3"."""
    return f"{entry._meta.model_name}:{entry.pk}"


def entry_from_request(request: HttpRequest, data=None):
    """Return the live post or published page a comment form was posted for (or ``data``
    names), or None."""
    from samizdat.publishing.models import Page, Post

    data = request.POST if data is None else data
    for field, queryset in (
        ("post_id", Post.objects.live()),
        ("page_id", Page.objects.filter(published=True)),
    ):
        value = data.get(field, "")
        if value.isdigit() and len(value) < 19:  # a database integer
            return queryset.filter(pk=int(value)).first()
    return None


def stash_draft(request: HttpRequest, entry, data) -> None:
    """Keep what the reader typed, for the post or page to give back after a login."""
    draft = {field: str(data.get(field, ""))[:25_000] for field in DRAFT_FIELDS}
    draft["entry"] = entry_key(entry)
    request.session[DRAFT_KEY] = draft


def pop_draft(request: HttpRequest, entry) -> dict[str, str]:
    """Return and forget the draft kept for this post or page, if any."""
    session = existing_session(request)
    if session is None:
        return {}
    draft = session.get(DRAFT_KEY)
    if not isinstance(draft, dict) or draft.get("entry") != entry_key(entry):
        return {}
    del session[DRAFT_KEY]
    return {key: value for key, value in draft.items() if key != "entry" and value}


def draft_return_url(request: HttpRequest) -> str:
    """Return where the reader's kept draft is (its post or page's form), or the home page."""
    from django.urls import reverse

    from samizdat.publishing.models import Page, Post

    draft = request.session.get(DRAFT_KEY) if hasattr(request, "session") else None
    kind, _, pk = (draft.get("entry", "") if isinstance(draft, dict) else "").partition(":")
    model = {"post": Post, "page": Page}.get(kind)
    entry = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
    # The query keeps the page from the page cache: rendered for this reader, with the
    # draft in its form, scripts or not.
    return (
        entry.get_absolute_url() + "?" + DRAFT_QUERY + "#respond"
        if entry
        else reverse("publishing:home")
    )
