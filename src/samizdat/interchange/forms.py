from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    """Upload a WordPress or Disqus export in the admin."""

    kind = forms.ChoiceField(
        label=_("Export from"),
        choices=[("wxr", _("WordPress (WXR file)")), ("disqus", _("Disqus (XML file)"))],
    )
    file = forms.FileField(label=_("File"))
    dry_run = forms.BooleanField(label=_("Dry run: check the file, save nothing"), required=False)
    recover = forms.BooleanField(
        label=_("Recover: import what can be read from a broken file"), required=False
    )
    download_media = forms.BooleanField(
        label=_(
            "Download the images into the media library, and show the copies "
            "(WordPress only; can take minutes)"
        ),
        required=False,
    )
