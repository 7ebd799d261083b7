from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from samizdat.publishing.models import Category, Page, Post, Source, Tag


class SourceInline(admin.StackedInline):
    model = Source
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0
    fields = [("authors", "title"), ("publisher", "year", "pages"), "url", "note", "position"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "title", "write_link", "author", "status", "published_at", "comment_count",
        "comments_open",
    ]  # fmt: skip
    list_filter = ["status", "comments_open", "categories", "published_at"]
    search_fields = ["title", "body", "excerpt"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags", "categories"]
    autocomplete_fields = ["author"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "body_format", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "comments_open"]}),
        ("Taxonomy", {"fields": ["categories", "tags"]}),
    ]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Write")
    def write_link(self, post):
        return format_html(
            '<a href="{}">Open in the editor</a>', reverse("desk:write", args=[post.pk])
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "path", "published", "menu_order"]
    list_filter = ["published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "parent", "body", "body_format", "author", "published", "menu_order"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(TagAdmin):
    list_display = ["name", "slug", "parent"]
