from django.contrib import admin

from samizdat.antispam.models import SpamKey, SpamModel


@admin.register(SpamKey)
class SpamKeyAdmin(admin.ModelAdmin):
    """WordPress's "Comment Moderation" and "Disallowed Comment Keys" lists, a key a row."""

    list_display = ["text", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["text", "note"]


@admin.register(SpamModel)
class SpamModelAdmin(admin.ModelAdmin):
    """What the learned filter was last trained on; retrained by decisions or the command."""

    list_display = ["created_at", "spam_examples", "ham_examples", "abstains", "size"]
    fields = ["created_at", "spam_examples", "ham_examples", "abstains", "size"]
    readonly_fields = fields

    @admin.display(description="model size")
    def size(self, obj) -> str:
        return f"{len(obj.data or b'') / 1000:,.0f} kB" if obj.data else "none"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
