"""The desk's Quick Edit form: the fields a moderator may correct, checked as readers' are."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samizdat.discussion.app_settings import app_settings as discussion_settings


class QuickEditForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}))
    author_name = forms.CharField(label=_("Name"), max_length=200)
    author_email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    author_url = forms.URLField(
        label=_("Website"), max_length=500, required=False, assume_scheme="https"
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        limit = discussion_settings.MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                _("At most %(limit)d characters; this has %(n)d.")
                % {"limit": limit, "n": len(body)}
            )
        return body
