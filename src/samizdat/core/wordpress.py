"""Render WordPress post and comment HTML as WordPress shows it: blocks, shortcodes, wpautop.

Imported bodies are kept as WordPress wrote them; this turns them into HTML at save
time, and markup.sanitize_* cleans the result, as for every other body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:[^>]*?-->\s*", re.DOTALL)
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_OPEN_BLOCK_RE = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK_RE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_BLOCK_RE = re.compile(rf"^</?(?:{BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_ENDS_BLOCK_RE = re.compile(rf"</?(?:{BLOCK_TAGS})[^>]*>$", re.IGNORECASE)
_PRE_RE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
SHORTCODE_RE = re.compile(
    r"\[(?P<name>caption|wp_caption|gallery|audio|video|embed|playlist)(?P<attrs>[^\]]*)\]"
    r"(?:(?P<content>.*?)\[/(?P=name)\])?",
    re.DOTALL,
)
_ATTR_RE = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\']+))')
_URL_RE = re.compile(r"https?://[^\s\"'<>\]]+")


def strip_block_comments(text: str) -> str:
    """Remove Gutenberg's block delimiters (<!-- wp:paragraph -->), keeping their content."""
    return BLOCK_COMMENT_RE.sub("", text)


def shortcode_attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTR_RE.finditer(text)}  # fmt: skip


def _link(url: str, label: str | None = None) -> str:
    url = html.escape(url, quote=True)
    return f'<a href="{url}">{html.escape(label) if label else url}</a>'


def expand_shortcodes(text: str, attachments: Sequence[dict] = ()) -> str:
    """Turn the shortcodes WordPress ships into HTML; leave any other shortcode as text."""

    def replace(match: re.Match) -> str:
        name = match.group("name")
        attrs = shortcode_attrs(match.group("attrs"))
        content = match.group("content") or ""
        if name in ("caption", "wp_caption"):
            caption = attrs.get("caption", "")
            body = content
            if not caption:
                # WordPress 3.4+: the caption text follows the image inside the shortcode.
                parts = re.split(
                    r"(</a>|<img[^>]*>)(?!.*(?:</a>|<img))", content, maxsplit=1, flags=re.DOTALL
                )
                if len(parts) == 3:
                    body, caption = parts[0] + parts[1], parts[2]
            return f"<figure>{body.strip()}<figcaption>{caption.strip()}</figcaption></figure>"
        if name in ("gallery", "playlist"):
            wanted = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
            chosen = [a for a in attachments if not wanted or str(a.get("id")) in wanted]
            if not chosen:
                return f"<p>{'Gallery' if name == 'gallery' else 'Playlist'}</p>"
            items = "".join(f"<li>{_link(a['url'], a.get('title') or a['url'])}</li>"
                            for a in chosen)  # fmt: skip
            return f"<ul>{items}</ul>"
        # audio, video, embed: link to the media.
        url = attrs.get("src") or attrs.get("url") or ""
        for key in ("mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv", "m4v", "flv", "wmv"):
            url = url or attrs.get(key, "")
        if not url:
            found = _URL_RE.search(content) or _URL_RE.search(match.group("attrs"))
            url = found.group(0) if found else ""
        if not url:
            return ""
        label = {"audio": "Audio", "video": "Video"}.get(name)
        return f"<p>{_link(url, f'{label}: {url}' if label else None)}</p>"

    return SHORTCODE_RE.sub(replace, text)


def wpautop(text: str, br: bool = True) -> str:
    """Add paragraphs and line breaks to text as WordPress's wpautop() does."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Keep <pre> blocks as they are.
    saved: list[str] = []

    def save(match: re.Match) -> str:
        saved.append(match.group(0))
        return f"<pre-placeholder-{len(saved) - 1}>"

    text = _PRE_RE.sub(save, text)
    text = _OPEN_BLOCK_RE.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK_RE.sub(r"\1\n\n", text)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if (
            chunk.startswith("<pre-placeholder-")
            or _STARTS_BLOCK_RE.match(chunk)
            or (_ENDS_BLOCK_RE.search(chunk) and _STARTS_BLOCK_RE.match(chunk.strip()))
        ):
            out.append(chunk.strip())
            continue
        if br:
            chunk = re.sub(r"(?<!<br />)\s*\n", "<br />\n", chunk.strip())
        out.append(f"<p>{chunk.strip()}</p>")
    text = "\n".join(out)
    for index, block in enumerate(saved):
        text = text.replace(f"<pre-placeholder-{index}>", block)
    return text + "\n"


def render_wordpress(text: str, attachments: Sequence[dict] = ()) -> str:
    """Render WordPress-authored HTML: blocks stripped, shortcodes expanded, wpautop."""
    return wpautop(expand_shortcodes(strip_block_comments(text), attachments))
