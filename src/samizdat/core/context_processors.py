from django.conf import settings


def site(request):
    """Expose the site's name and tagline to every template."""
    return {
        "site_name": settings.SAMIZDAT_SITE_NAME,
        "site_tagline": settings.SAMIZDAT_SITE_TAGLINE,
    }
