"""The "Leave a Reply" form."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from samizdat.discussion.app_settings import app_settings
from samizdat.discussion.services import CommentDraft


class CommentForm(forms.Form):
    """A guest's comment: the text, a name and email, and an optional website."""

    post_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    page_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": _("Please type your comment text.")},
    )
    author_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _(
                "Please shorten your name to %(limit_value)d characters or fewer "
                "(it has %(show_value)d)."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    author_email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address."),
            "max_length": _("Please enter an email address of at most %(limit_value)d characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    author_url = forms.URLField(
        label=_("Website"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("Please enter a valid web address."),
            "max_length": _("Please enter a web address of at most %(limit_value)d characters."),
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )

    def __init__(self, *args, identity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity = identity
        if identity is not None:
            # The account the reader logged in with names them; what is typed is ignored.
            for name in ("author_name", "author_email", "author_url"):
                self.fields[name].required = False
        limit = app_settings.MAX_LENGTH
        body = self.fields["body"]
        body.max_length = limit
        body.validators.append(
            MaxLengthValidator(
                limit,
                message=_(
                    "Your comment is too long: at most %(limit_value)d characters, "
                    "and it has %(show_value)d."
                ),
            )
        )
        # No maxlength attribute: a browser silently cuts pasted text at it. The limit is
        # stated beside the field, counted by the form's script, and enforced here.
        body.help_text = _(
            "Markdown works: *emphasis*, **bold**, [links](https://example.org), > quotes. "
            "Up to %(limit)s characters."
        ) % {"limit": f"{limit:,}"}
        body.widget.attrs["data-maxlength"] = str(limit)

    def draft(self) -> CommentDraft:
        data = self.cleaned_data
        return CommentDraft(
            body=data["body"],
            author_name=data.get("author_name", ""),
            author_email=data.get("author_email", ""),
            author_url=data.get("author_url") or "",
            parent_id=data.get("parent_id"),
        )
