from django.contrib import admin

from samizdat.notifications import services
from samizdat.notifications.models import StaffMail, Subscriber, Subscription


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["kind", "post", "created_at", "last_mailed_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Readers' addresses, confirmed or not, and what each asked for."""

    list_display = ["email", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "confirmed_at", "created_at"]
    inlines = [SubscriptionInline]
    actions = ["erase_data", "erase_data_and_text"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Erase their data (comments anonymised, text kept)")
    def erase_data(self, request, queryset):
        self._erase(request, queryset, remove_text=False)

    @admin.action(description="Erase their data and the text of their comments")
    def erase_data_and_text(self, request, queryset):
        self._erase(request, queryset, remove_text=True)

    def _erase(self, request, queryset, remove_text):
        count = sum(services.erase(s.email, remove_text=remove_text) for s in list(queryset))
        self.message_user(request, f"Erased; {count} comment(s) anonymised.")


@admin.register(StaffMail)
class StaffMailAdmin(admin.ModelAdmin):
    """What comment mail each staff member gets (each can set their own at /mail/staff/)."""

    list_display = ["user", "comments"]
