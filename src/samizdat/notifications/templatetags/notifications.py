from django import template

from samizdat.notifications.receivers import FOLLOW_FIELD, POSTS_FIELD

register = template.Library()


@register.inclusion_tag("notifications/form_choices.html")
def subscription_choices(form):
    """The comment form's two "Notify me" boxes, ticked again when the form comes back."""
    data = form.data if form is not None and form.is_bound else {}
    return {
        "follow_field": FOLLOW_FIELD,
        "posts_field": POSTS_FIELD,
        "follow": bool(data.get(FOLLOW_FIELD)),
        "posts": bool(data.get(POSTS_FIELD)),
    }
