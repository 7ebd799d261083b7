from django import template

from samizdat.antispam.app_settings import app_settings

register = template.Library()


@register.inclusion_tag("antispam/challenge.html")
def comment_challenge():
    """ALTCHA's widget for the comment form, while the challenge is on."""
    return {"on": app_settings.CHALLENGE}
