"""``samizdat providers add|list|remove``: set up "Log in with ..." without the admin."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from rich.console import Console
from rich.table import Table

from samizdat.identity.app_settings import PROVIDER_KINDS


class Command(BaseCommand):
    help = "Add, list or remove the login providers offered on the comment form."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add or update a provider.")
        add.add_argument("kind", choices=sorted(PROVIDER_KINDS))
        add.add_argument("--client-id", help="Not for mastodon: it registers per server.")
        add.add_argument("--secret")
        add.add_argument("--name", help='Shown name (default: the provider\'s, e.g. "GitHub").')
        add.add_argument(
            "--server-url",
            help="openid_connect: the issuer URL (its /.well-known/openid-configuration).",
        )
        add.add_argument(
            "--id", dest="provider_id", help="openid_connect: a short id used in the callback URL."
        )
        actions.add_parser("list", help="List the configured providers.")
        remove = actions.add_parser("remove", help="Remove a provider.")
        remove.add_argument("id", help="The id shown by `samizdat providers list`.")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_add(
        self, kind, client_id, secret, name=None, server_url=None, provider_id=None, **options
    ):
        provider, default_name = PROVIDER_KINDS[kind]
        settings: dict = {}
        if kind == "mastodon":
            if client_id or secret:
                raise CommandError(
                    "mastodon takes no --client-id or --secret: samizdat "
                    "registers itself with each reader's server on first use."
                )
            client_id, secret = "registered-per-server", ""
        elif not client_id or not secret:
            raise CommandError(f"{kind} needs --client-id and --secret.")
        if kind == "openid_connect":
            if not server_url:
                raise CommandError("openid_connect needs --server-url (the issuer URL).")
            if not server_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                raise CommandError("--server-url must use https:// (or be on this machine).")
            settings["server_url"] = server_url.rstrip("/")
            provider_id = provider_id or slugify(name or server_url.split("//", 1)[1])[:40]
        elif server_url or provider_id:
            raise CommandError("--server-url and --id are for openid_connect only.")
        else:
            provider_id = ""
        lookup = {"provider": provider, "provider_id": provider_id}
        app, created = SocialApp.objects.update_or_create(
            **lookup,
            defaults={
                "name": name or default_name,
                "client_id": client_id,
                "secret": secret,
                "settings": settings,
            },
        )
        shown = provider_id or provider
        verb = "Added" if created else "Updated"
        self.stdout.write(
            f"{verb} {app.name} ({shown}). Callback URL: "
            f"https://YOUR-SITE/accounts/{shown}/login/callback/"
        )

    def handle_list(self, **options):
        apps = SocialApp.objects.order_by("provider", "name")
        if not apps:
            self.stdout.write("No login providers are configured; readers comment as guests.")
            return
        table = Table("id", "kind", "name", "client id", "server URL")
        for app in apps:
            table.add_row(
                app.provider_id or app.provider,
                app.provider,
                app.name,
                app.client_id,
                app.settings.get("server_url", ""),
            )
        Console(file=self.stdout, width=120).print(table)

    def handle_remove(self, id, **options):
        deleted, _ = SocialApp.objects.filter(provider_id=id).delete()
        if not deleted:
            deleted, _ = SocialApp.objects.filter(provider=id, provider_id="").delete()
        if not deleted:
            raise CommandError(f"No provider {id!r}; see `samizdat providers list`.")
        self.stdout.write(f"Removed {id}.")
