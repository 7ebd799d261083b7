"""The writer's pages: the editor, its preview and autosave, revisions, preview links."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from samizdat.desk import writing
from samizdat.desk.services import parse_id
from samizdat.media.models import MediaFile
from samizdat.publishing.models import Category, Post, PostStatus, Revision, Source, Tag

SOURCE_FIELDS = ["position", "key", "kind", "authors", "title", "container", "publisher",
                 "place", "year", "pages", "url", "doi", "isbn", "note"]  # fmt: skip


def _source_field(field, **kwargs):
    if field.name == "url":
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


SourceFormSet = forms.inlineformset_factory(
    Post,
    Source,
    fields=SOURCE_FIELDS,
    formfield_callback=_source_field,
    extra=0,
    can_delete=True,
    widgets={"position": forms.HiddenInput, "note": forms.Textarea(attrs={"rows": 2})},
)


class WriteForm(forms.Form):
    title = forms.CharField(max_length=300, required=False)
    slug = forms.SlugField(max_length=200, required=False, allow_unicode=True)
    excerpt = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Not stripped: the text is saved exactly as typed.
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 24}))
    tags = forms.CharField(required=False, max_length=1000, help_text="Separated by commas.")
    categories = forms.ModelMultipleChoiceField(
        Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    comments_open = forms.BooleanField(required=False)
    status = forms.ChoiceField(choices=PostStatus.choices)
    published_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    featured_image = forms.ModelChoiceField(
        MediaFile.objects.all(), required=False, empty_label="None",
        help_text="Shown in feeds and when the post is shared.",
    )  # fmt: skip
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Post.objects.filter(slug=slug).exclude(pk=self.post_id) if slug else None
        if taken is not None and taken.exists():
            raise forms.ValidationError("Another post has this slug.")
        return slug

    def clean(self):
        data = super().clean()
        when = data.get("published_at")
        if data.get("status") == PostStatus.PUBLISHED and when and when > timezone.now():
            data["status"] = PostStatus.SCHEDULED  # a future time means scheduled, as WordPress
        return data

    def __init__(self, *args, post_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post_id = post_id


def _initial(post: Post) -> dict:
    saved = writing.latest_save(post) if post.pk else None
    return {
        "title": post.title,
        "slug": post.slug,
        "excerpt": post.excerpt,
        "body": post.body,
        "tags": ", ".join(t.name for t in post.tags.all()) if post.pk else "",
        "categories": list(post.categories.all()) if post.pk else [],
        "comments_open": post.comments_open,
        "status": post.status,
        "published_at": timezone.localtime(post.published_at),
        "base_revision": saved.pk if saved else None,
        "featured_image": post.featured_image_id,
    }


def _check(request, post: Post | None) -> None:
    needed = "publishing.change_post" if post is not None else "publishing.add_post"
    if not request.user.has_perm(needed):
        raise PermissionDenied


@never_cache
@staff_member_required
def write(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Write a new post, or edit one: Markdown beside its live preview."""
    post = get_object_or_404(Post, pk=pk) if pk else None
    _check(request, post)
    editing = post or Post(author=request.user, status=PostStatus.DRAFT)
    conflict = None
    status = 200
    if request.method == "POST":
        form = WriteForm(request.POST, post_id=editing.pk)
        sources = SourceFormSet(request.POST, instance=editing, prefix="sources")
        if form.is_valid() and sources.is_valid():
            data = form.cleaned_data
            try:
                writing.save(
                    editing, data, request.user, base_revision=data["base_revision"],
                    sources=sources,
                )  # fmt: skip
            except writing.Conflict as clash:
                conflict = clash.theirs
                status = 409
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("desk:write", args=[editing.pk]))
        else:
            status = 400
    else:
        form = WriteForm(initial=_initial(editing), post_id=editing.pk)
        sources = SourceFormSet(instance=editing, prefix="sources")
    body = form["body"].value() or ""
    first = writing.preview(body, editing if editing.pk else None)
    context = {
        "form": form,
        "post": editing,
        "preview": first,
        "conflict": conflict,
        "conflict_diff": writing.compare(conflict, _typed(form, editing)) if conflict else "",
        "autosave": writing.pending_autosave(editing, request.user) if editing.pk else None,
        "tag_names": list(Tag.objects.order_by("name").values_list("name", flat=True)[:500]),
        "preview_link": (
            request.build_absolute_uri(
                reverse("preview-link", args=[writing.preview_link_token(editing)])
            )
            if editing.pk and not editing.is_live
            else ""
        ),
        "title": "Edit post" if editing.pk else "New post",
        "upload_url": reverse("media:upload"),
        "sources": sources,
        "parse_url": reverse("desk:parse-sources"),
    }
    return render(
        request,
        "desk/write.html",
        {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, **context},
        status=status,
    )


def _typed(form, post: Post) -> Revision:
    """What the writer typed, as an unsaved revision, to compare with theirs."""
    return Revision(
        post=post,
        title=form["title"].value() or "",
        body=form["body"].value() or "",
        kind=Revision.Kind.AUTOSAVE,
        created_at=timezone.now(),
    )


@require_POST
@staff_member_required
def preview(request: HttpRequest) -> JsonResponse:
    """The editor's live preview: the text rendered as the post page renders it.

    The sources are the editor's rows as they stand (``sources``: JSON), saved or not.
    """
    post = Post.objects.filter(pk=parse_id(request.POST.get("post"))).first()
    rows = _rows(request.POST.get("sources"))
    result = writing.preview(request.POST.get("body", "")[:500_000], post, sources=rows)
    return JsonResponse(
        {
            "html": result.html,
            "words": result.words,
            "minutes": result.minutes,
            "missing_alt": result.missing_alt,
            "missing_keys": result.missing_keys,
        }
    )


def _rows(raw) -> list[Source] | None:
    """The editor's source rows (JSON) as unsaved Sources, or None if none were sent."""
    import json

    if not raw:
        return None
    try:
        rows = json.loads(raw)
    except ValueError:
        return None
    fields = {f for f in SOURCE_FIELDS if f != "position"}
    return [
        Source(position=n, **{k: str(v)[:500] for k, v in row.items() if k in fields})
        for n, row in enumerate(rows if isinstance(rows, list) else [])
        if isinstance(row, dict) and row.get("title")
    ]


@require_POST
@staff_member_required
def parse_sources(request: HttpRequest) -> JsonResponse:
    """Pasted BibTeX or RIS, as rows for the source editor; an error leaves rows alone."""
    from samizdat.publishing import bibliography

    try:
        rows = bibliography.parse(request.POST.get("text", "")[:200_000])
    except bibliography.ParseError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"rows": rows})


@require_POST
@staff_member_required
def autosave(request: HttpRequest) -> JsonResponse:
    """Keep what is typed (every 10 s of change, and when the page is left)."""
    post = Post.objects.filter(pk=parse_id(request.POST.get("post"))).first()
    _check(request, post)
    title = request.POST.get("title", "")[:300]
    body = request.POST.get("body", "")
    excerpt = request.POST.get("excerpt", "")
    if post is None:
        if not (title.strip() or body.strip()):
            return JsonResponse({"saved": False})
        # A new post's first autosave makes it a draft, as WordPress's auto-draft.
        post = Post(author=request.user, status=PostStatus.DRAFT, title=title, body=body,
                    excerpt=excerpt, slug=writing._unique_slug(title))  # fmt: skip
        post.save()
    revision = writing.autosave(post, request.user, title=title, excerpt=excerpt, body=body)
    return JsonResponse(
        {
            "saved": True,
            "post": post.pk,
            "url": reverse("desk:write", args=[post.pk]),
            "at": timezone.localtime(revision.created_at).strftime("%H:%M:%S"),
        }
    )


@never_cache
@require_GET
@staff_member_required
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's revisions, newest first; compare any two side by side."""
    post = get_object_or_404(Post, pk=pk)
    _check(request, post)
    listed = list(post.revisions.select_related("author"))
    by_id = {r.pk: r for r in listed}
    newer = by_id.get(parse_id(request.GET.get("b"))) or (listed[0] if listed else None)
    older = by_id.get(parse_id(request.GET.get("a"))) or (listed[1] if len(listed) > 1 else None)
    return render(
        request,
        "desk/revisions.html",
        {
            **admin.site.each_context(request),
            "is_nav_sidebar_enabled": False,
            "post": post,
            "revisions": listed,
            "older": older,
            "newer": newer,
            "diff": writing.compare(older, newer) if older and newer else "",
            "title": f"Revisions of \u201c{post.display_title}\u201d",
        },
    )


@require_POST
@staff_member_required
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision, pk=pk)
    _check(request, revision.post)
    writing.restore(revision, request.user)
    messages.success(request, f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M}.")
    return HttpResponseRedirect(reverse("desk:write", args=[revision.post_id]))


@never_cache
@require_GET
def preview_link(request: HttpRequest, token: str) -> HttpResponse:
    """A draft or scheduled post as it will appear, for anyone holding the link (7 days)."""
    from samizdat.publishing.views import render_post

    post = writing.post_from_preview_token(token)
    if post is None:
        raise Http404("This preview link is not valid or has expired.")
    response = render_post(request, post)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
