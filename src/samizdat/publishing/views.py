"""Reader pages: the home page, a post with its discussion, pages, archives and search."""

from __future__ import annotations

import calendar
import datetime
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samizdat.discussion.forms import CommentForm
from samizdat.discussion.moderation import can_moderate, get_moderator
from samizdat.discussion.session import existing_session, pending_ids, remembered_author
from samizdat.discussion.threads import comment_page
from samizdat.identity.services import configured_providers, current_identity, pop_draft
from samizdat.pagecache.decorators import not_shared
from samizdat.pagecache.middleware import depends_on_entry
from samizdat.pagecache.store import SITE, entry_generation, remember, store
from samizdat.publishing.citations import link_sources
from samizdat.publishing.models import Category, Page, Post, Tag

_PAGE_SUFFIX_RE = re.compile(r"page/\d+/$")


def listing_queryset() -> QuerySet[Post]:
    """Live posts with what a listing shows, in a fixed number of queries."""
    return (
        Post.objects.live()
        .select_related("author")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("name", "slug")),
            Prefetch("tags", queryset=Tag.objects.only("name", "slug")),
        )
        .defer("body", "body_html")
    )


def paginate(queryset, page: int | str | None, per_page: int):
    """Return a page, or raise 404 for a page number out of range."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(1 if page is None else page)
    except InvalidPage as exc:
        raise Http404(_("There is no such page.")) from exc


def render_listing(
    request: HttpRequest, queryset, page, *, title: str = "", description: str = "", **extra
) -> HttpResponse:
    posts = paginate(queryset, page, settings.SAMIZDAT_POSTS_PER_PAGE)
    search_query = extra.get("search_query")
    context = {
        "page_obj": posts,
        "posts": posts.object_list,
        "archive_title": title,
        "archive_description": description,
        # Page links keep WordPress's shape: /category/x/page/2/, /page/2/?s=word.
        "pagination_base": _PAGE_SUFFIX_RE.sub("", request.path),
        "pagination_query": "?" + urlencode({"s": search_query}) if search_query else "",
        **extra,
    }
    return render(request, "publishing/post_list.html", context)


def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    """List posts newest first; answer ``?s=`` with search results, as WordPress does."""
    query = request.GET.get("s")
    if query is not None:
        return search(request, query, page)
    return render_listing(request, listing_queryset(), page, is_home=True)


def search(request: HttpRequest, query: str, page: int = 1) -> HttpResponse:
    """Find live posts whose title or text contains every word of the query."""
    query = " ".join(query.split())[:200]
    posts = listing_queryset()
    words = query.split()[:10]
    for word in words:
        posts = posts.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if not words:
        posts = posts.none()
    return render_listing(
        request,
        posts,
        page,
        title=_("Search results for \u201c%(query)s\u201d") % {"query": query},
        search_query=query,
    )


def author_archive(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """List an author's live posts (WordPress's /author/<name>/)."""
    author = get_object_or_404(get_user_model(), **{get_user_model().USERNAME_FIELD: username})
    name = author.get_full_name() or author.get_username()
    return render_listing(
        request,
        listing_queryset().filter(author=author),
        page,
        title=_("Author: %(name)s") % {"name": name},
    )


def _term_archive(request, model, field, slug, page, label):
    term = get_object_or_404(model, slug=slug)
    posts = listing_queryset().filter(**{field: term})
    return render_listing(
        request, posts, page, title=label % {"name": term.name}, description=term.description
    )


def category_archive(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    return _term_archive(request, Category, "categories", slug, page, _("Category: %(name)s"))


def tag_archive(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    return _term_archive(request, Tag, "tags", slug, page, _("Tag: %(name)s"))


def date_archive(
    request: HttpRequest,
    year: str,
    month: str | None = None,
    day: str | None = None,
    page: int = 1,
) -> HttpResponse:
    """List the posts of a year, month or day, in the site's time zone."""
    try:
        y = int(year)
        start = datetime.date(y, int(month or 1), int(day or 1))
        if day:
            end = start + datetime.timedelta(days=1)
            label = start.strftime("%B %-d, %Y")
        elif month:
            end = start + datetime.timedelta(days=calendar.monthrange(y, start.month)[1])
            label = start.strftime("%B %Y")
        else:
            end = datetime.date(y + 1, 1, 1)
            label = str(y)
    except (ValueError, OverflowError) as exc:
        raise Http404(_("There is no such date.")) from exc
    tz = timezone.get_current_timezone()
    posts = listing_queryset().filter(
        published_at__gte=datetime.datetime.combine(start, datetime.time(), tz),
        published_at__lt=datetime.datetime.combine(end, datetime.time(), tz),
    )
    return render_listing(request, posts, page, title=_("Archives: %(date)s") % {"date": label})


PASSWORDS_KEY = "samizdat_post_passwords"


def is_unlocked(request: HttpRequest, post: Post) -> bool:
    """Return whether the reader may read a password-protected post."""
    if not post.password:
        return True
    session = existing_session(request)
    if session is None:
        return False
    return constant_time_compare(
        session.get(PASSWORDS_KEY, {}).get(str(post.pk), ""), post.password
    )


def post_detail(
    request: HttpRequest, year: str, month: str, day: str, slug: str, page: int = 1
) -> HttpResponse:
    """Show a post, its sources and one page of its discussion."""
    # The author is read only when the article is rendered (most renders reuse it).
    post = get_object_or_404(Post.objects.visible_to(request.user), slug=slug)
    canonical = post.permalink_kwargs()
    if (year, month, day) != (canonical["year"], canonical["month"], canonical["day"]):
        # The slug is unique: send a link with a stale date to the post's own URL.
        return HttpResponsePermanentRedirect(post.get_absolute_url())
    if post.password:
        # Locked or unlocked, the page depends on the reader's session: never shared.
        not_shared(request)
    if request.method == "POST" and post.password:
        # WordPress's "This content is password protected" form.
        if constant_time_compare(request.POST.get("post_password", ""), post.password):
            passwords = request.session.get(PASSWORDS_KEY, {})
            passwords[str(post.pk)] = post.password
            request.session[PASSWORDS_KEY] = passwords
            return HttpResponseRedirect(post.get_absolute_url())
        return render_protected(request, post, wrong=True)
    if not is_unlocked(request, post):
        return render_protected(request, post)
    return render_post(request, post, comment_page_number=page)


def render_protected(request: HttpRequest, post: Post, wrong: bool = False) -> HttpResponse:
    return render(
        request,
        "publishing/post_protected.html",
        {"post": post, "wrong": wrong},
        status=403 if wrong else 200,
    )


def discussion_context(
    request: HttpRequest, entry, *, comment_page_number: int = 1, form=None
) -> dict:
    """What the discussion block of a post or page shows: threads, count, the form."""
    # Before the comments are read: a comment committed meanwhile leaves this page stale.
    fragment_generation = depends_on_entry(request, entry)
    # Staff see every comment that waits, in place, with the moderation buttons.
    moderator = can_moderate(request.user)
    comments_open = get_moderator().comments_open(entry)
    thread_html, thread_has_comments = _thread(
        request, entry, comment_page_number, moderator, comments_open, fragment_generation
    )
    identity = current_identity(request)
    target = {"post_id": entry.pk} if isinstance(entry, Post) else {"page_id": entry.pk}
    reply_to = None
    if form is None and comments_open:
        # A draft kept across a login comes back into the form, once.
        draft = pop_draft(request, entry)
        initial = {**target, **remembered_author(request), **draft}
        reply_to = _reply_to(request, entry, draft.get("parent_id"))
        if reply_to is not None:
            initial["parent_id"] = reply_to.pk
        form = CommentForm(initial=initial, identity=identity)
    elif form is not None:
        reply_to = _reply_to(request, entry, form.data.get("parent_id"))
    context = {
        "entry": entry,
        # Reversed once: the comment list links to it from every comment.
        "post_url": entry.get_absolute_url(),
        "thread_html": thread_html,
        "thread_has_comments": thread_has_comments,
        "comments_open": comments_open,
        # A refused submission is shown again even on a closed post: the text is kept.
        "show_comment_form": comments_open or form is not None,
        "comment_form": form,
        "reply_to": reply_to,
        "identity": identity,
        "login_providers": configured_providers(request) if comments_open else [],
        "choose_login": request.GET.get("login") == "change",
        "can_moderate": moderator,
        "form_token": _form_token(request, form),
        "fragment_generation": fragment_generation,
    }
    blank = (
        comments_open
        and not form.is_bound
        and identity is None
        and reply_to is None
        and form.initial == target
        and not context["choose_login"]
    )
    context["form_html"] = _blank_form(request, entry, context) if blank else None
    return context


# Stand-ins for the two per-request values of a blank form kept whole.
_CSRF_STANDIN = "samizdat-csrf-standin"
_TOKEN_STANDIN = "samizdat-form-token-standin"  # noqa: S105 -- a placeholder, not a secret


def _blank_form(request: HttpRequest, entry, context: dict) -> SafeString:
    """The comment form as every reader first sees it, kept whole per worker.

    Its widgets cost a sixth of a post page's render. What differs between readers (the
    CSRF token, the spam checks' start time) is put in after; the rest changes with the
    site (login providers) or the entry (comments closing).
    """
    shared = getattr(request, "page_cache", None) is not None
    generation = context["fragment_generation"]
    key = f"form:{entry_generation(entry)}:{generation}:{int(shared)}"
    fragments = caches["fragments"]
    html = fragments.get(key) if not generation.startswith("down-") else None
    if html is None:
        html = render_to_string(
            "discussion/form.html",
            {**context, "csrf_token": _CSRF_STANDIN, "form_token": _TOKEN_STANDIN},
            request=request,
        )
        fragments.set(key, html)
    csrf = "" if shared else get_token(request)
    html = html.replace(_CSRF_STANDIN, csrf).replace(_TOKEN_STANDIN, context["form_token"])
    return mark_safe(html)  # noqa: S308 -- our template's output; tokens are URL-safe


def comment_markup_context(
    entry, discussion, comments_open: bool, moderator: bool, generation: str
) -> dict:
    """What ``discussion/comment.html`` needs, for a page of threads or a single node."""
    return {
        "discussion": discussion,
        "post_url": entry.get_absolute_url(),
        "comments_open": comments_open,
        "can_moderate": moderator,
        "fragment_generation": generation,
    }


def _thread(
    request: HttpRequest,
    entry,
    number: int,
    moderator: bool,
    comments_open: bool,
    generation: str,
) -> tuple[str, bool]:
    """One page of threads as HTML, and whether it shows any comment.

    What every reader sees alike (nothing of theirs pending, no moderation buttons) is
    kept whole in the worker's memory until the site or this entry changes: a page of
    a 1,000-comment thread is then one lookup, not a query and a template per comment.
    """
    pending = pending_ids(request)
    alike = not moderator and not pending and not generation.startswith("down-")
    key = f"thread:{entry_generation(entry)}:{generation}:{number}:{int(comments_open)}"
    fragments = caches["fragments"]
    if alike and (kept := fragments.get(key)) is not None:
        return mark_safe(kept[0]), kept[1]  # noqa: S308 -- rendered by our template below
    try:
        discussion = comment_page(entry, number, pending, all_pending=moderator)
    except InvalidPage as exc:
        raise Http404(_("There is no such page of comments.")) from exc
    html = render_to_string(
        "discussion/thread.html",
        comment_markup_context(entry, discussion, comments_open, moderator, generation),
        request=request,
    )
    if alike:
        fragments.set(key, (html, bool(discussion.nodes)))
    return mark_safe(html), bool(discussion.nodes)  # noqa: S308 -- our template's output


def _form_token(request: HttpRequest, form) -> str:
    """The spam checks' signed start time: kept across a refused post, new on a private
    page, and fetched by the form's script on a page the page cache shares."""
    from samizdat.antispam.tokens import new_token

    if form is not None and form.data.get("form_token"):
        return form.data["form_token"]
    if getattr(request, "page_cache", None) is not None:
        return ""
    return new_token()


def render_post(
    request: HttpRequest,
    post: Post,
    *,
    comment_page_number: int = 1,
    form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a post page; the discussion app uses it to show a form with errors."""
    context = {
        "post": post,
        "article": _article(request, post),
        **discussion_context(request, post, comment_page_number=comment_page_number, form=form),
    }
    return render(request, "publishing/post_detail.html", context, status=status)


def _article(request: HttpRequest, post: Post) -> dict[str, SafeString]:
    """The post's own parts of its page (its tags in <head>, the article with its sources
    and terms, the links to its neighbours), kept whole per worker.

    None of it shows a comment, so a comment (which replaces only its entry's
    generation) re-renders only the discussion; anything else that changes these parts
    (the post, its sources or terms, another post, the settings) replaces the site's.
    Staff get theirs rendered: it has an Edit link.
    """
    if request.user.is_staff:
        return _render_article(request, post)
    try:
        generation = store.generation.tokens((SITE,)).hex()
    except Exception:
        return _render_article(request, post)  # the store is down: nothing may be reused
    # The Open Graph address names the host the page was asked for.
    where = f"{request.scheme}://{request.get_host()}{get_script_prefix()}"
    key = f"article:{post.pk}:{generation}:{where}"
    articles = caches["articles"]
    kept = articles.get(key)
    if kept is None:
        kept = {name: str(html) for name, html in _render_article(request, post).items()}
        articles.set(key, kept)
    return {name: mark_safe(html) for name, html in kept.items()}  # noqa: S308 -- our templates'


def _render_article(request: HttpRequest, post: Post) -> dict[str, SafeString]:
    # Read once per process until a post changes (posts replace the site's generation).
    previous_post, next_post = remember(f"adjacent:{post.pk}", lambda: adjacent_posts(post))
    body, sources = link_sources(post.body_html, list(post.sources.all()))
    context = {
        "post": post,
        "post_body": body,
        "previous_post": previous_post,
        "next_post": next_post,
        "sources": sources,
        "tags": list(post.tags.all()),
        "categories": list(post.categories.all()),
    }
    return {
        "head": render_to_string("publishing/_post_head.html", context, request=request),
        "body": render_to_string("publishing/_post_article.html", context, request=request),
    }


def adjacent_posts(post: Post) -> tuple[Post | None, Post | None]:
    """Return the live posts published just before and just after this one, in one query."""
    live = Post.objects.live()
    same_time = Q(published_at=post.published_at)
    older = live.filter(Q(published_at__lt=post.published_at) | same_time & Q(pk__lt=post.pk))
    newer = live.filter(Q(published_at__gt=post.published_at) | same_time & Q(pk__gt=post.pk))
    # Each side is a one-row subquery (LIMIT 1 inside IN works on SQLite and PostgreSQL).
    neighbours = live.filter(
        Q(pk__in=older.order_by("-published_at", "-id").values("pk")[:1])
        | Q(pk__in=newer.order_by("published_at", "id").values("pk")[:1])
    ).only("title", "slug", "published_at")
    previous = following = None
    for neighbour in neighbours:
        if (neighbour.published_at, neighbour.pk) < (post.published_at, post.pk):
            previous = neighbour
        else:
            following = neighbour
    return previous, following


def render_page(
    request: HttpRequest,
    page: Page,
    *,
    comment_page_number: int = 1,
    form=None,
    status: int = 200,
) -> HttpResponse:
    """Render a standalone page, with its discussion if it has one."""
    context = {"page": page}
    if page.comments_open or page.comment_count or form is not None:
        context.update(
            discussion_context(request, page, comment_page_number=comment_page_number, form=form)
        )
    return render(request, "publishing/page_detail.html", context, status=status)


def _reply_to(request: HttpRequest, post, value=None):
    """Return the comment named by ``?replytocom=`` (the no-JS reply link), if it is shown."""
    from samizdat.discussion.models import Comment, CommentStatus

    value = value if value else request.GET.get("replytocom")
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    from samizdat.discussion.services import entry_filter

    return Comment.objects.filter(
        pk=pk, **entry_filter(post), status=CommentStatus.APPROVED
    ).first()


_COMMENT_PAGE_RE = re.compile(r"^(?P<path>.+)/comment-page-(?P<number>\d+)$")


def page_detail(request: HttpRequest, path: str) -> HttpResponse:
    """Show a standalone page such as About (and /about/comment-page-2/ for its comments)."""
    path = path.strip("/")
    number = 1
    match = _COMMENT_PAGE_RE.match(path)
    if match and not Page.objects.filter(path=path).exists():
        path, number = match["path"], int(match["number"])
    page = get_object_or_404(Page, path=path, published=True)
    return render_page(request, page, comment_page_number=number)


def sources_download(
    request: HttpRequest, year: str, month: str, day: str, slug: str, as_: str
) -> HttpResponse:
    """A post's sources as CSL-JSON or BibTeX, for a reader's reference manager."""
    import json

    from samizdat.publishing import bibliography

    post = get_object_or_404(Post.objects.visible_to(request.user), slug=slug)
    if post.password and not is_unlocked(request, post):
        raise Http404("This post is password protected.")
    sources = list(post.sources.all())
    if as_ == "csl":
        body = json.dumps([bibliography.csl_item(s) for s in sources], ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/vnd.citationstyles.csl+json")
    else:
        response = HttpResponse(
            bibliography.to_bibtex(sources), content_type="application/x-bibtex; charset=utf-8"
        )
    extension = "json" if as_ == "csl" else "bib"
    response["Content-Disposition"] = f'inline; filename="{post.slug}-sources.{extension}"'
    return response
