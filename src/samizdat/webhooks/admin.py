from django import forms
from django.contrib import admin

from samizdat.webhooks import client
from samizdat.webhooks.models import EVENTS, Delivery, Webhook


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", label="URL")
    events = forms.MultipleChoiceField(
        choices=EVENTS, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            client.check_url(url)  # checked again at every delivery
        except client.Refused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return url


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["created_at", "event", "state", "attempts", "response_status", "error"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-created_at"]
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Where events go; the secret verifies them (Standard Webhooks); deliveries below."""

    form = WebhookForm
    list_display = ["url", "active", "created_at"]
    readonly_fields = ["secret"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: every event sent to every webhook, with its tries and answer."""

    list_display = ["created_at", "event", "webhook", "state", "attempts", "response_status"]
    list_filter = ["state", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
