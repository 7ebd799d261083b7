"""The moderation and disallowed keys, read once per change to the site."""

from __future__ import annotations


def current_keys() -> tuple[list[str], list[str]]:
    """Return (moderation keys, disallowed keys), lower-cased."""
    from samizdat.pagecache.store import remember

    return remember("spam-keys", _read_keys)


def _read_keys() -> tuple[list[str], list[str]]:
    from samizdat.antispam.models import SpamKey

    moderation, disallowed = [], []
    for kind, text in SpamKey.objects.values_list("kind", "text"):
        text = text.strip().lower()
        if text:
            (disallowed if kind == SpamKey.Kind.DISALLOWED else moderation).append(text)
    return moderation, disallowed
