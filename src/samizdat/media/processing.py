"""Checking and preparing an uploaded image: Pillow verifies, orients, strips and resizes.

An upload is refused with a clear message when it is not an image Pillow can read (a
PDF renamed .jpg), an SVG (it can carry scripts, and is never served), too many pixels
to decode safely (a decompression bomb), or larger than ``SAMIZDAT_UPLOAD_MAX_MB``.
What is kept is re-encoded from the pixels: no EXIF (GPS position, camera serial)
survives, and the orientation EXIF asked for is applied to the pixels first.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from samizdat.media.app_settings import app_settings
from samizdat.media.models import MediaFile

FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
           "GIF": ("gif", "image/gif"), "WEBP": ("webp", "image/webp")}  # fmt: skip


class UploadRefused(Exception):
    """The file cannot be taken; the message says why, for the writer."""


@dataclass
class Prepared:
    image: Image.Image
    format: str
    animated: bool


def check(data: bytes, name: str) -> Prepared:
    """Return the decoded, oriented image, or raise UploadRefused."""
    limit = app_settings.MAX_MB
    if len(data) > limit * 1024 * 1024:
        raise UploadRefused(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; the largest upload is {limit:g} MB."
        )
    head = data[:512].lstrip().lower()
    if name.lower().endswith(".svg") or head.startswith((b"<?xml", b"<svg", b"<!doctype")):
        raise UploadRefused(f"{name}: SVG images are not accepted (they can carry scripts).")
    Image.MAX_IMAGE_PIXELS = app_settings.MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns between MAX_IMAGE_PIXELS and twice it, and raises past that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UploadRefused(f"{name}: {image.format} images are not accepted.")
            animated = getattr(image, "is_animated", False)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRefused(
            f"{name} has too many pixels to open safely (the limit is "
            f"{app_settings.MAX_PIXELS / 1e6:g} megapixels)."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadRefused(f"{name} is not an image that can be read ({error}).") from error
    fmt = image.format
    if not animated:
        image = ImageOps.exif_transpose(image)
    return Prepared(image, fmt, animated)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=86, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=82, method=4)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, fmt)
    return out.getvalue()


def _stem(name: str, digest: str) -> str:
    base = slugify(name.rsplit(".", 1)[0])[:60] or "image"
    today = date.today()
    return f"{today:%Y}/{today:%m}/{base}-{digest[:10]}"


def store(data: bytes, name: str, *, alt: str = "", user=None, source_url: str = "") -> MediaFile:
    """Check, prepare and keep an image with its variants; raise UploadRefused."""
    digest = hashlib.sha256(data).hexdigest()
    existing = MediaFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing  # the same bytes again (a second paste, a re-import)
    prepared = check(data, name)
    image, fmt = prepared.image, prepared.format
    extension, content_type = FORMATS[fmt]
    stem = _stem(name, digest)
    if prepared.animated:
        original = data  # re-encoding would lose the animation; GIF carries no EXIF
    else:
        if image.mode in ("P", "LA", "RGBA") and fmt == "JPEG":
            image = image.convert("RGB")
        original = _encode(image, fmt)
    saved = []
    try:
        path = default_storage.save(f"{stem}.{extension}", ContentFile(original))
        saved.append(path)
        variants = []
        if not prepared.animated:
            # Widest first, each made from the one before: far less work than resizing
            # the full photo three times, and the same look at these sizes.
            source = image
            for width in sorted((w for w in app_settings.WIDTHS if w < image.width), reverse=True):
                height = round(image.height * width / image.width)
                smaller = source.resize((width, height), Image.Resampling.LANCZOS)
                source = smaller
                same = _encode(smaller, fmt)
                variant_name = f"{stem}-{width}.{extension}"
                variant_path = default_storage.save(variant_name, ContentFile(same))
                saved.append(variant_path)
                webp = _encode(smaller, "WEBP")
                webp_url = ""
                if len(webp) < len(same):  # WebP only where it is smaller
                    webp_path = default_storage.save(f"{stem}-{width}.webp", ContentFile(webp))
                    saved.append(webp_path)
                    webp_url = default_storage.url(webp_path)
                variants.append(
                    {"width": width, "height": height,
                     "url": default_storage.url(variant_path), "webp": webp_url}
                )  # fmt: skip
            variants.reverse()  # narrowest first
        with transaction.atomic():
            return MediaFile.objects.create(
                file=path, original_name=name[:300], content_type=content_type,
                width=image.width, height=image.height, size=len(original), alt=alt[:500],
                variants=variants, sha256=digest, uploaded_by=user, source_url=source_url[:1000],
            )  # fmt: skip
    except Exception:
        for leftover in saved:  # no half-made image stays in the library
            default_storage.delete(leftover)
        raise
