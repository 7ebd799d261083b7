"""Uploading to the library, the library page, and serving its files."""

from __future__ import annotations

import mimetypes
import posixpath

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from samizdat.media import processing
from samizdat.media.models import MediaFile


@require_POST
@staff_member_required
def upload(request):
    """Take one image (pasted or dropped in the editor, or chosen); answer in JSON."""
    if not request.user.has_perm("media.add_mediafile"):
        raise PermissionDenied
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return JsonResponse({"error": "No file was sent."}, status=400)
    limit = processing.app_settings.MAX_MB * 1024 * 1024
    if uploaded.size > limit:
        return JsonResponse(
            {"error": f"{uploaded.name} is larger than {processing.app_settings.MAX_MB:g} MB."},
            status=400,
        )
    try:
        media = processing.store(
            uploaded.read(), uploaded.name, alt=request.POST.get("alt", ""), user=request.user
        )
    except processing.UploadRefused as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    alt = request.POST.get("alt", "").strip() or media.alt
    if alt and not media.alt:
        media.alt = alt[:500]
        media.save(update_fields=["alt"])
    label = alt.replace("[", "").replace("]", "")
    return JsonResponse(
        {
            "id": media.pk,
            "url": media.url,
            "width": media.width,
            "height": media.height,
            "alt": alt,
            "markdown": f"![{label}]({media.url})",
        }
    )


def usage(media: MediaFile):
    """The posts and pages whose text shows this image (or links to it)."""
    from samizdat.publishing.models import Page, Post

    found = Q(body__contains=media.url)
    return [*Post.objects.filter(found | Q(featured_image=media)), *Page.objects.filter(found)]


@staff_member_required
def library(request):
    """The media library: a grid, a search, where each image is used, Delete when unused."""
    images = MediaFile.objects.all()
    query = " ".join(request.GET.get("q", "").split())[:200]
    if query:
        images = images.filter(Q(original_name__icontains=query) | Q(alt__icontains=query))
    page = Paginator(images, 48).get_page(request.GET.get("p"))
    rows = [{"media": m, "used_in": usage(m)} for m in page.object_list]
    return render(
        request,
        "media/library.html",
        {
            **admin.site.each_context(request),
            "is_nav_sidebar_enabled": False,
            "title": "Media library",
            "rows": rows,
            "page_obj": page,
            "query": query,
        },
    )


@require_POST
@staff_member_required
def delete(request, pk: int):
    media = get_object_or_404(MediaFile, pk=pk)
    if not request.user.has_perm("media.delete_mediafile"):
        raise PermissionDenied
    used = usage(media)
    if used:
        messages.error(
            request,
            f"{media} is used in {', '.join(e.display_title for e in used[:3])}: "
            "take it out of them first.",
        )
    else:
        from samizdat.media.html import media_prefix

        prefix = media_prefix()
        urls = [u for v in media.variants for u in (v["url"], v.get("webp")) if u]
        for name in [media.file.name, *(u.removeprefix(prefix) for u in urls)]:
            default_storage.delete(name)
        media.delete()
        messages.success(request, f"Deleted {media}.")
    return HttpResponseRedirect(reverse("media:library"))


def serve(request, path: str):
    """Serve a library file when no web server in front does (nginx does in production)."""
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or not default_storage.exists(path):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        content_type = "application/octet-stream"  # never rendered inline by the browser
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    # Names carry the content's hash: a file never changes under its name.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
