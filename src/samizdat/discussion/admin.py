from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samizdat.discussion import services
from samizdat.discussion.models import Comment, CommentStatus


def _moderation_action(status: str, label: str, done: str):
    def action(modeladmin, request, queryset):
        changed = services.moderate(
            queryset.select_related(None).only("pk", "status", "post_id"), status
        )
        modeladmin.message_user(
            request,
            ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", changed)
            % {"count": changed, "done": done},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=label)(action)


class LoginProviderFilter(admin.SimpleListFilter):
    """By login provider, with guests named (an empty provider showed as a blank choice)."""

    title = _("login provider")
    parameter_name = "provider"

    def lookups(self, request, model_admin):
        from samizdat.identity.app_settings import provider_label

        providers = (
            Comment.objects.exclude(identity_provider="")
            .order_by()
            .values_list("identity_provider", flat=True)
            .distinct()
        )
        return [("guest", _("Guests")), *((p, provider_label(p)) for p in sorted(providers))]

    def queryset(self, request, queryset):
        if self.value() == "guest":
            return queryset.filter(identity_provider="")
        if self.value():
            return queryset.filter(identity_provider=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["author_name", "short_body", "on", "status", "created_at", "ip_address"]
    list_filter = ["status", LoginProviderFilter, "created_at"]
    list_select_related = ["post", "page"]
    search_fields = ["author_name", "author_email", "author_url", "body", "ip_address"]
    date_hierarchy = "created_at"
    raw_id_fields = ["post", "page", "parent", "user"]
    readonly_fields = [
        "created_at",
        "ip_address",
        "user_agent",
        "depth",
        "identity_provider",
        "identity_uid",
        "author_avatar_url",
    ]
    fields = [
        ("post", "page"), "parent", "status", "body", ("author_name", "author_email", "author_url"),
        "user", ("identity_provider", "identity_uid", "author_avatar_url"),
        ("created_at", "ip_address", "depth"), "user_agent",
    ]  # fmt: skip
    actions = [
        _moderation_action(CommentStatus.APPROVED, _("Approve selected comments"), "approved"),
        _moderation_action(CommentStatus.PENDING, _("Unapprove selected comments"), "unapproved"),
        _moderation_action(
            CommentStatus.SPAM, _("Mark selected comments as spam"), "marked as spam"
        ),
        _moderation_action(
            CommentStatus.TRASH, _("Move selected comments to the trash"), "trashed"
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a saved comment to another post or thread would break its thread.
        if obj is not None:
            return [*self.readonly_fields, "post", "page", "parent"]
        return self.readonly_fields

    @admin.display(description=_("on"))
    def on(self, obj: Comment):
        return obj.entry

    @admin.display(description=_("comment"))
    def short_body(self, obj: Comment) -> str:
        text = obj.body if len(obj.body) <= 80 else obj.body[:79] + "\u2026"
        # The span wraps anything (samizdat/admin.css): a long word never widens the list.
        return format_html('<span class="comment-excerpt">{}</span>', text)
