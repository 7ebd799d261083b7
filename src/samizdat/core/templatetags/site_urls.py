"""``{% site_url 'publishing:feed' %}``: ``{% url %}`` for the site's fixed addresses,
reversed once per process (``samizdat.core.reversing``)."""

from django import template

from samizdat.core.reversing import reverse_once

register = template.Library()


@register.simple_tag
def site_url(name: str, *args) -> str:
    return reverse_once(name, *args)
