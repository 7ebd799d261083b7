"""``samizdat demo``: serve a demo site, filling an empty database first."""

from __future__ import annotations

from rich.console import Console

from samizdat.core.demo import create_demo_site, demo_admin_login
from samizdat.core.management.commands.serve import Command as ServeCommand


class Command(ServeCommand):
    help = "Fill an empty database with a demo site, then serve it like `samizdat serve`."

    def handle(self, *args, **options):
        self.prepare(migrate=not options["no_migrate"])
        created = create_demo_site()
        username, password = demo_admin_login()
        url = f"http://{options['host']}:{options['port']}/"
        console = Console()
        console.print(
            f"[bold]samizdat demo[/bold] {'created' if created else 'already set up'}.\n"
            f"  Site:  [link={url}]{url}[/link]\n"
            f"  Admin: {url}admin/  user [bold]{username}[/bold]"
            + (f"  password [bold]{password}[/bold]" if password else "")
        )
        self.serve(options["host"], options["port"], options["workers"], options["threads"])
