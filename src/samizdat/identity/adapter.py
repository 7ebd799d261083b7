"""samizdat's allauth adapters: the one place where login behaviour is overridden."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.utils.translation import gettext as _

from samizdat.identity import services


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        # Only this site: the default also trusts ALLOWED_HOSTS, which may hold "*".
        from samizdat.core.redirects import local_url

        return local_url(self.request, url) is not None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def can_authenticate_by_email(self, sociallogin, email) -> bool:
        """Link to an existing user only when both sides verified the address.

        allauth already ignores addresses the provider does not mark verified; requiring
        the local address to be verified too stops an account made with someone else's
        unverified address from capturing their later social login.
        """
        if not super().can_authenticate_by_email(sociallogin, email):
            return False
        return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()

    def pre_social_login(self, request, sociallogin):
        """Sign up new readers without an address that another account already holds.

        It was not linked (see can_authenticate_by_email), and keeping it would stop the
        login at a sign-up form; a commenter needs no address of their own.
        """
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            return
        from django.contrib.auth import get_user_model

        def taken(address: str) -> bool:
            return (
                EmailAddress.objects.filter(email__iexact=address).exists()
                or get_user_model().objects.filter(email__iexact=address).exists()
            )

        sociallogin.email_addresses = [
            address for address in sociallogin.email_addresses if not taken(address.email)
        ]
        user = sociallogin.user
        if user.email and taken(user.email):
            user.email = ""

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Show one clear page for every failed login; the draft stays in the session."""
        name = getattr(getattr(provider, "app", None), "name", None) or provider.name
        extra_context = extra_context or {}
        # Some servers leave the state out of a denial; the error still says what happened.
        if error == AuthError.CANCELLED or request.GET.get("error") == "access_denied":
            message = _("The login with %(provider)s was cancelled or not allowed.")
        elif error == AuthError.DENIED:
            message = _("%(provider)s did not allow the login.")
        elif "state" not in extra_context:
            message = _(
                "The login with %(provider)s could not be checked: it had expired, had "
                "already been used, or did not start on this page."
            )
        else:
            message = _("%(provider)s reported an error, so the login did not complete.")
        message = message % {"provider": name}
        back = services.draft_return_url(request)
        from samizdat.identity.views import problem_context, render_popup_page

        raise ImmediateHttpResponse(
            render_popup_page(
                request, "identity/problem.html", problem_context(message, back), status=401
            )
        )
