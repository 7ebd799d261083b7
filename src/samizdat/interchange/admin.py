import tempfile
from functools import partial
from pathlib import Path

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path

from samizdat.interchange.disqus import import_disqus
from samizdat.interchange.forms import ImportForm
from samizdat.interchange.importers import import_wxr
from samizdat.interchange.media import download as download_media
from samizdat.interchange.media import site_hosts
from samizdat.interchange.models import ImportedObject, LegacyURL
from samizdat.interchange.wxr import WxrError


@admin.register(ImportedObject)
class ImportedObjectAdmin(admin.ModelAdmin):
    """What imports brought in; the changelist offers the upload."""

    list_display = ["source", "kind", "external_id", "content_type", "object_id", "imported_at"]
    list_filter = ["source", "kind"]
    search_fields = ["external_id"]
    change_list_template = "admin/interchange/importedobject_change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="interchange_importedobject_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        if not request.user.has_perm("publishing.add_post"):
            messages.error(request, "You may not import content.")
            return TemplateResponse(
                request,
                "admin/interchange/upload.html",
                {**self.admin_site.each_context(request), "form": None},
                status=403,
            )
        report = media_report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            # A web worker runs threads; forking one for a second reader is not worth the risk.
            importer = (
                partial(import_wxr, background=False)
                if form.cleaned_data["kind"] == "wxr"
                else import_disqus
            )
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "upload.xml"
                with target.open("wb") as out:
                    for chunk in form.cleaned_data["file"].chunks():
                        out.write(chunk)
                try:
                    report = importer(
                        target,
                        dry_run=form.cleaned_data["dry_run"],
                        recover=form.cleaned_data["recover"],
                    )
                    if (
                        form.cleaned_data["download_media"]
                        and form.cleaned_data["kind"] == "wxr"
                        and not form.cleaned_data["dry_run"]
                    ):
                        media_report = download_media(site_hosts(str(target)))
                except WxrError as exc:
                    form.add_error(
                        "file", str(exc).replace("upload.xml", form.cleaned_data["file"].name)
                    )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "media_report": media_report,
            "title": "Import from WordPress or Disqus",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/interchange/upload.html", context)


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    list_display = ["path", "content_type", "object_id"]
    search_fields = ["path"]
