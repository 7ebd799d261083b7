"""Posts, pages, their sources, tags and categories."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from samizdat.core import markup, wordpress
from samizdat.core.reversing import reverse_once

EXCERPT_WORDS = 55  # WordPress's excerpt_length.
_FOOTNOTES_RE = re.compile(r'<hr class="footnotes-sep"\s*/?>.*', re.DOTALL)


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")
    WORDPRESS = "wordpress", _("WordPress HTML (paragraphs added, shortcodes expanded)")


def render_body(source: str, body_format: str, attachments=()) -> str:
    """Render a post or page body in its format to sanitized HTML."""
    from samizdat.media.html import responsive

    if body_format == BodyFormat.HTML:
        html = markup.sanitize_post_html(source)
    elif body_format == BodyFormat.WORDPRESS:
        html = markup.sanitize_post_html(wordpress.render_wordpress(source, attachments))
    else:
        html = markup.render_post_markdown(source)
    # Library images get their sizes and smaller copies (from the library, not the text).
    return responsive(html)


class Term(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:200] or "term"
        super().save(*args, **kwargs)


class Tag(Term):
    class Meta(Term.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self) -> str:
        return reverse("publishing:tag", kwargs={"slug": self.slug})


class Category(Term):
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta(Term.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_absolute_url(self) -> str:
        return reverse("publishing:category", kwargs={"slug": self.slug})


class Entry(models.Model):
    """What posts and pages share: a title, a slug and a rendered body."""

    # May be empty, as in WordPress: an untitled post stays untitled in every export;
    # display_title shows a placeholder where a title is needed on screen.
    title = models.CharField(_("title"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown: CommonMark with footnotes.")
    )
    body_format = models.CharField(
        _("body format"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField(editable=False, blank=True)
    # Media an imported item had in WordPress (id, url, title): [gallery] links to them.
    attachments = models.JSONField(default=list, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title, or WordPress's "(no title)" where one is needed on screen."""
        return self.title or str(_("(no title)"))

    # Fields whose HTML render() derives, so that save(update_fields=...) stores it too.
    rendered_fields = {"body": {"body_html"}}

    def render(self) -> None:
        """Render the body to sanitized HTML; called on every save, never on read."""
        self.body_html = render_body(self.body, self.body_format, self.attachments)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:200] or "untitled"
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = [self.rendered_fields.get(name, set()) for name in update_fields]
            kwargs["update_fields"] = set(update_fields).union(*derived)
        super().save(*args, **kwargs)

    @property
    def body_safe(self) -> SafeString:
        # body_html was sanitized by nh3 when it was saved.
        return mark_safe(self.body_html)  # noqa: S308

    @property
    def author_name(self) -> str:
        if self.author is None:
            return ""
        return self.author.get_full_name() or self.author.get_username()


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    SCHEDULED = "scheduled", _("Scheduled")
    PRIVATE = "private", _("Private")
    TRASH = "trash", _("Trash")


class PostQuerySet(models.QuerySet):
    def live(self) -> PostQuerySet:
        """Posts any reader may see: published, or scheduled and now due."""
        return self.filter(
            status__in=[PostStatus.PUBLISHED, PostStatus.SCHEDULED],
            published_at__lte=timezone.now(),
        )

    def visible_to(self, user) -> PostQuerySet:
        """Live posts, plus private posts for staff, as WordPress shows them to editors."""
        if user is not None and user.is_active and user.is_staff:
            return self.filter(
                Q(status__in=[PostStatus.PUBLISHED, PostStatus.SCHEDULED, PostStatus.PRIVATE]),
                published_at__lte=timezone.now(),
            )
        return self.live()


class Post(Entry):
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Optional; the opening words are used if empty.")
    )
    excerpt_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        db_index=True,
        help_text=_("A future date with status Scheduled publishes the post then."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    categories = models.ManyToManyField(
        Category, blank=True, related_name="posts", verbose_name=_("categories")
    )
    password = models.CharField(
        _("password"),
        max_length=255,
        blank=True,
        help_text=_("Readers must enter it to read the post (WordPress's password protection)."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    comment_count = models.PositiveIntegerField(
        _("approved comments"),
        default=0,
        editable=False,
        help_text=_("Kept up to date by the discussion app; never counted per request."),
    )
    # Approved top-level comments: how many pages of threads there are, without a COUNT.
    thread_count = models.PositiveIntegerField(_("approved threads"), default=0, editable=False)
    featured_image = models.ForeignKey(
        "media.MediaFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("featured image"),
        help_text=_("Shown in feeds and when the post is shared (Open Graph, Twitter cards)."),
    )  # fmt: skip
    # When the task queue announced the post going live (post_published): once only.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="post_slug_unique")]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_live_idx")]

    rendered_fields = {"body": {"body_html", "excerpt_html"}, "excerpt": {"excerpt_html"}}

    def render(self) -> None:
        """Render the body, and the excerpt or the body's opening words when it is empty."""
        super().render()
        if self.excerpt.strip():
            self.excerpt_html = markup.render_post_markdown(self.excerpt)
        else:
            text = markup.plain_text(_FOOTNOTES_RE.sub("", self.body_html))
            self.excerpt_html = format_html("<p>{}</p>", markup.truncate_words(text, EXCERPT_WORDS))

    @property
    def excerpt_safe(self) -> SafeString:
        if self.password:
            return format_html("<p>{}</p>", _("This content is password protected."))
        return mark_safe(self.excerpt_html)  # noqa: S308

    @property
    def is_live(self) -> bool:
        return (
            self.status in (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
            and self.published_at <= timezone.now()
        )

    def permalink_kwargs(self) -> dict[str, str]:
        return dict(zip(("year", "month", "day", "slug"), self._permalink_args(), strict=True))

    def _permalink_args(self) -> tuple[str, str, str, str]:
        local = timezone.localtime(self.published_at)
        return f"{local.year:04d}", f"{local.month:02d}", f"{local.day:02d}", self.slug

    def get_absolute_url(self) -> str:
        # Reversed once per process: a post page names its own address several times.
        return reverse_once("publishing:post", *self._permalink_args())

    @property
    def comments_feed_url(self) -> str:
        return reverse_once("publishing:post-comments-feed", *self._permalink_args())


class Page(Entry):
    """A standalone page such as About; pages nest like WordPress's (/parent/child/)."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=1000, unique=True, editable=False)
    published = models.BooleanField(_("published"), default=True)
    menu_order = models.IntegerField(_("menu order"), default=0)
    # WordPress lets pages have comments too; off by default, as in WordPress.
    comments_open = models.BooleanField(_("comments open"), default=False)
    comment_count = models.PositiveIntegerField(_("approved comments"), default=0, editable=False)
    thread_count = models.PositiveIntegerField(_("approved threads"), default=0, editable=False)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["menu_order", "title"]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:200] or "untitled"
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("publishing:page", kwargs={"path": self.path})

    @property
    def is_live(self) -> bool:
        return self.published

    @property
    def published_at(self):
        return self.created_at


class Source(models.Model):
    """A structured citation attached to a post, shown in its "Sources" section."""

    class Kind(models.TextChoices):
        # CSL's item types (the ones essays cite).
        BOOK = "book", _("Book")
        CHAPTER = "chapter", _("Chapter in a book")
        ARTICLE = "article-journal", _("Journal article")
        NEWS = "article-newspaper", _("Newspaper article")
        WEBPAGE = "webpage", _("Web page")
        THESIS = "thesis", _("Thesis")
        REPORT = "report", _("Report")
        DOCUMENT = "document", _("Other")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("key"), max_length=100, blank=True,
        help_text=_("Cite it in the text as [@key] or [@key, pp. 129-135]."),
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.BOOK)
    authors = models.CharField(
        _("authors"), max_length=500, blank=True,
        help_text=_('"E. H. Carr" or "Carr, E. H."; several separated by ";".'),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=500)
    container = models.CharField(
        _("in"), max_length=500, blank=True, help_text=_("The journal, book or site it is in.")
    )
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    year = models.CharField(_("year"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("A remark on the source."))

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def pages_label(self) -> str:
        """Return "p. 12" or "pp. 129-135" (with an en dash), as the citation shows it."""
        pages = self.pages.strip()
        if not pages:
            return ""
        if pages.lower().startswith(("p.", "pp.", "page")):
            return pages
        if re.search(r"[-\u2013,]", pages):
            return "pp. " + re.sub(r"\s*[-\u2013]\s*", "\u2013", pages)
        return f"p. {pages}"

    def citation(self) -> SafeString:
        """Return the citation in the site's CSL style (SAMIZDAT_CITATION_STYLE)."""
        from samizdat.publishing import bibliography

        return bibliography.entries([self])[0]

    def plain_citation(self) -> SafeString:
        """Authors, *Title* (Publisher, Year), pp. 129-135: the style before CSL, and the
        fallback when a CSL style cannot render the source."""
        parts = []
        if self.authors:
            parts.append(format_html("{}, ", self.authors))
        if self.url:
            parts.append(
                format_html('<cite><a href="{}" rel="noopener">{}</a></cite>', self.url, self.title)
            )
        else:
            parts.append(format_html("<cite>{}</cite>", self.title))
        imprint = ", ".join(part for part in (self.publisher, self.year) if part)
        if imprint:
            parts.append(format_html(" ({})", imprint))
        if self.pages_label:
            parts.append(format_html(", {}", self.pages_label))
        parts.append(".")
        return mark_safe("".join(parts))  # noqa: S308 -- each part is format_html output.


class Revision(models.Model):
    """A post's title, excerpt and text as saved (or autosaved) by someone at some time.

    Each save keeps one; an autosave is one row per post and writer, overwritten every
    few seconds while they type, so a closed tab loses nothing and the list of saves
    stays readable.
    """

    class Kind(models.TextChoices):
        SAVE = "save", _("Saved")
        AUTOSAVE = "autosave", _("Autosave")
        RESTORE = "restore", _("Restored")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SAVE)
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["post", "kind", "-created_at"], name="revision_post_idx")]

    def __str__(self) -> str:
        return f"{self.post} ({self.get_kind_display()}, {self.created_at:%Y-%m-%d %H:%M})"
