from django.contrib import admin

from samizdat.antispam.models import SpamKey


@admin.register(SpamKey)
class SpamKeyAdmin(admin.ModelAdmin):
    """WordPress's "Comment Moderation" and "Disallowed Comment Keys" lists, a key a row."""

    list_display = ["text", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["text", "note"]
