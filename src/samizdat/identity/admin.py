from django.contrib import admin

from samizdat.identity.models import MastodonInstance


@admin.register(MastodonInstance)
class MastodonInstanceAdmin(admin.ModelAdmin):
    """The Mastodon servers samizdat registered with; delete one to register again."""

    list_display = ["domain", "client_id", "created_at"]
    search_fields = ["domain"]
    readonly_fields = ["domain", "client_id", "redirect_uri", "created_at"]
    exclude = ["client_secret"]

    def has_add_permission(self, request):
        return False
