"""The one page of the antispam app: a fresh proof-of-work challenge for the form."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samizdat.antispam import challenge
from samizdat.antispam.app_settings import app_settings


@never_cache
@require_GET
def challenge_view(request):
    """Return a signed challenge for ALTCHA's widget (only while the challenge is on)."""
    if not app_settings.CHALLENGE:
        raise Http404("The comment challenge is off.")
    return JsonResponse(challenge.new_challenge())
