"""The admin, as a writer sees it: named after the site, what matters first.

Django's admin lists every installed app alphabetically; a writer moving off WordPress
looks for Posts, Pages and Comments. The home groups them so, with the pending count,
and puts the internals (allauth's tokens, import records...) under "Advanced".
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse

#: (group label, [(app label, model name), ...]) in the order the home shows them.
GROUPS = [
    ("Writing", [("publishing", "Post"), ("publishing", "Page"), ("publishing", "Category"),
                 ("publishing", "Tag")]),
    ("Comments", [("discussion", "Comment"), ("antispam", "SpamKey"), ("antispam", "SpamModel")]),
    ("Mail and webhooks", [("notifications", "Subscriber"), ("notifications", "StaffMail"),
                           ("webhooks", "Webhook"), ("webhooks", "Delivery"),
                           ("django_tasks_database", "DBTaskResult")]),
    ("Import and export", [("interchange", "ImportedObject")]),
    ("Login providers", [("socialaccount", "SocialApp")]),
    ("People", [("auth", "User"), ("auth", "Group")]),
]  # fmt: skip


class SamizdatAdminSite(admin.AdminSite):
    index_title = "Site administration"

    @property
    def site_header(self):
        return settings.SAMIZDAT_SITE_NAME

    @property
    def site_title(self):
        return settings.SAMIZDAT_SITE_NAME

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        models = {(app["app_label"], m["object_name"]): m for app in apps for m in app["models"]}
        grouped = []
        for label, wanted in GROUPS:
            entries = [models.pop(key) for key in wanted if key in models]
            if entries:
                grouped.append(_group(label, entries))
        for entry in grouped:
            for model in entry["models"]:
                _dress(model)
        rest = sorted(models.values(), key=lambda m: str(m["name"]))
        if rest:
            grouped.append(_group("Advanced", rest))
        return grouped


def _group(label: str, models: list[dict]) -> dict:
    return {
        "name": label,
        "app_label": label.lower().replace(" ", "-"),
        "app_url": models[0].get("admin_url") or "",
        "has_module_perms": True,
        "models": models,
    }


def _dress(model: dict) -> None:
    """Name entries as a writer would look for them, and send Comments to the desk."""
    key = model["object_name"]
    if key == "Comment":
        from samizdat.desk.services import pending_count

        pending = pending_count()
        model["name"] = f"Comments ({pending} pending)" if pending else "Comments"
        model["admin_url"] = reverse("desk:queue") + ("?status=pending" if pending else "")
        model["add_url"] = None
    elif key == "ImportedObject":
        model["name"] = "Import from WordPress or Disqus"
        model["admin_url"] = reverse("admin:interchange_importedobject_upload")
        model["add_url"] = None
    elif key == "SocialApp":
        model["name"] = "Login providers"
    elif key == "Post":
        model["add_url"] = reverse("desk:write-new")  # the writer's desk, with its preview


class SamizdatAdminConfig(AdminConfig):
    default_site = "samizdat.core.admin_site.SamizdatAdminSite"
