"""Feed writers that never fail on a control character a stored text carries.

XML 1.0 cannot carry most C0 control characters, and Django's feed writer raises on
them: one comment with "a\\x01b" would take down its post's feeds and the site's comment
feed. Input strips them (forms, imports); these writers strip what older rows still hold.
"""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from samizdat.core.markup import strip_controls


def _clean(value):
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class CleanFeedMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()})


class CleanRssFeed(CleanFeedMixin, Rss201rev2Feed):
    pass


class CleanAtomFeed(CleanFeedMixin, Atom1Feed):
    pass
