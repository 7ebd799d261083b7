"""``samizdat demo``: serve a demo site, filling an empty database first."""

from __future__ import annotations

from contextlib import nullcontext

from rich.console import Console

from samizdat.core.demo import create_demo_site, demo_admin_login, demo_login_server
from samizdat.core.management.commands.serve import Command as ServeCommand


class Command(ServeCommand):
    help = "Fill an empty database with a demo site, then serve it like `samizdat serve`."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-demo-login",
            action="store_true",
            help='Do not start the loopback OpenID Connect server behind "Demo account".',
        )

    def handle(self, *args, **options):
        self.prepare(migrate=not options["no_migrate"])
        self.check_port(options["host"], options["port"])
        created = create_demo_site()
        username, password = demo_admin_login()
        url = f"http://{options['host']}:{options['port']}/"
        login = None if options["no_demo_login"] else demo_login_server()
        console = Console()
        console.print(
            f"[bold]samizdat demo[/bold] {'created' if created else 'already set up'}.\n"
            f"  Site:  [link={url}]{url}[/link]\n"
            f"  Admin: {url}admin/  user [bold]{username}[/bold]"
            + (f"  password [bold]{password}[/bold]" if password else "")
        )
        with login or nullcontext() as server:
            if server is not None:
                console.print(
                    f"  Login: \u201cDemo account\u201d on the comment form logs in through an "
                    f"OpenID Connect server at http://127.0.0.1:{server.server_port}/ "
                    "(choose the reader \u201cdemo\u201d there)."
                )
            elif not options["no_demo_login"]:
                console.print(
                    "  Login: the demo login needs oidc-provider-mock "
                    "(pip install 'samizdat[demo]'); logins are off."
                )
            self.serve(
                options["host"],
                options["port"],
                options["workers"],
                options["threads"],
                task_worker=not options["no_worker"],
            )
