"""Images from the library in rendered HTML: sizes, srcset, WebP and lazy loading.

Applied after the sanitizer, to its output: the attributes added come from the
library's own records, never from the text.
"""

from __future__ import annotations

import re

from django.utils.html import escape

_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]+)"')
_ALT = re.compile(r'\salt="([^"]*)"')


def media_prefix() -> str:
    """What every library file's URL starts with (/media/, or an S3 bucket's address)."""
    from django.core.files.storage import default_storage

    return default_storage.url("probe").rsplit("probe", 1)[0]


def responsive(html: str) -> str:
    """Give every library image its size, smaller copies and lazy loading (not the first)."""
    prefix = media_prefix()
    if prefix not in html:
        return html
    from samizdat.media.models import MediaFile

    names = {
        src[len(prefix) :]
        for attrs in _IMG.findall(html)
        if (match := _SRC.search(attrs)) and (src := match.group(1)).startswith(prefix)
    }
    if not names:
        return html
    files = {f.file.name: f for f in MediaFile.objects.filter(file__in=names)}
    seen = 0

    def rewrite(match: re.Match) -> str:
        nonlocal seen
        attrs = match.group(1)
        src = _SRC.search(attrs)
        media = files.get(src.group(1)[len(prefix) :]) if src else None
        if media is None:
            return match.group(0)
        seen += 1
        alt = _ALT.search(attrs)
        alt_text = alt.group(1) if alt and alt.group(1) else escape(media.alt)
        sizes = "(max-width: 700px) 100vw, 700px"
        # The first image is likely on screen at once; the others load as they come near.
        lazy = ' loading="lazy"' if seen > 1 else ""
        img = (
            f'<img src="{escape(media.url)}" alt="{alt_text}" width="{media.width}" '
            f'height="{media.height}" srcset="{escape(media.srcset())}" sizes="{sizes}"'
            f'{lazy} decoding="async">'
        )
        webp = media.webp_srcset()
        if not webp:
            return img
        return (
            f'<picture><source type="image/webp" srcset="{escape(webp)}" sizes="{sizes}">'
            f"{img}</picture>"
        )

    return _IMG.sub(rewrite, html)


def missing_alt(html: str) -> int:
    """How many images in the HTML have no alt text (the editor flags them)."""
    return sum(1 for attrs in _IMG.findall(html) if not (m := _ALT.search(attrs)) or not m.group(1))
