"""The ``samizdat`` command: Django's management commands with samizdat's settings.

An expected failure (no SECRET_KEY, a database without tables, a file that cannot be
written) prints one plain line and exits non-zero; ``--traceback`` shows the whole story.
"""

from __future__ import annotations

import os
import sys

#: What ``samizdat --help`` lists, samizdat's own first. Written out here so that help
#: works with no configuration at all (loading the commands needs the settings).
COMMANDS: dict[str, list[tuple[str, str]]] = {
    "Run the site": [
        ("demo", "Fill an empty database with a demo site and serve it (no setup needed)."),
        ("serve", "Apply migrations, then serve samizdat with granian and a task worker."),
        ("worker", "Run background tasks (mail, webhooks, spam training) on their own."),
    ],
    "Move in and out": [
        ("import_wxr", "Import posts, pages, comments and authors from a WordPress export."),
        ("import_disqus", "Import comments from a Disqus export."),
        ("export_wxr", "Export the whole site as WXR 1.2, WordPress's format."),
        ("export_json", "Export the whole site as documented JSON."),
    ],
    "Comments": [
        ("empty_trash", "Delete spam and trash older than SAMIZDAT_TRASH_DAYS (run daily)."),
        ("spam", "`spam train`: relearn from decisions; `spam check`: judge JSON lines."),
    ],
    "Logins": [
        ("providers", "Add, list or remove the login providers on the comment form."),
    ],
    "Administration (Django's)": [
        ("migrate", "Create or update the database's tables."),
        ("createsuperuser", "Create an administrator account."),
        ("changepassword", "Change a user's password."),
        ("check", "Check the configuration for problems (add --deploy in production)."),
        ("showmigrations", "List the database migrations and whether they are applied."),
        ("clearsessions", "Delete expired sessions."),
        ("sendtestemail", "Send a test email, to check the mail settings."),
        ("shell", "A Python shell with the site's models."),
        ("dbshell", "The database's own command-line client."),
        ("collectstatic", "Gather static files (serve does this)."),
    ],
}

#: Django's commands that make no sense for a samizdat site (they scaffold, or serve with
#: a development server); ``samizdat help`` leaves them out and they are refused.
HIDDEN = {
    "startproject", "startapp", "runserver", "testserver", "test", "makemigrations",
    "squashmigrations", "optimizemigration", "makemessages", "compilemessages",
    "inspectdb", "diffsettings",
}  # fmt: skip


#: Commands that read or write the site's tables: refused plainly before ``migrate``.
NEED_TABLES = {
    "createsuperuser", "changepassword", "import_wxr", "import_disqus", "export_wxr",
    "export_json", "providers", "clearsessions", "empty_trash", "spam", "worker",
}  # fmt: skip


def usage() -> str:
    lines = [
        "Usage: samizdat COMMAND [options]",
        "",
        "samizdat reads its configuration from the environment (see the README);",
        "`samizdat COMMAND --help` describes a command's options.",
    ]
    for heading, commands in COMMANDS.items():
        lines += ["", f"{heading}:"]
        lines += [f"  {name:<16}{text}" for name, text in commands]
    return "\n".join(lines) + "\n"


def fail(message: str) -> None:
    sys.stderr.write(f"samizdat: {message}\n")
    sys.exit(1)


def explain(error: BaseException) -> str | None:
    """Return one plain line for a failure a site owner can fix, or None for a bug."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    if isinstance(error, ImproperlyConfigured):
        return str(error)
    if isinstance(error, DatabaseError):
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            return "the database has no tables yet: run `samizdat migrate` first."
        return f"the database could not be used: {text}"
    if isinstance(error, OSError) and error.strerror:
        where = f" {error.filename}" if error.filename else ""
        return f"cannot use{where}: {error.strerror}."
    return None


def require_tables() -> None:
    """Stop with one line when the database has not been migrated yet."""
    import django
    from django.db import connection

    django.setup()
    if "django_migrations" not in connection.introspection.table_names():
        fail("the database has no tables yet: run `samizdat migrate` first.")


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``samizdat migrate``, ``samizdat serve``, ...)."""
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "samizdat"
    args = argv[1:]
    if not args or (args[0] in ("help", "--help", "-h") and len(args) == 1):
        sys.stdout.write(usage())
        return
    if args[0] in HIDDEN:
        fail(f"`{args[0]}` is not a samizdat command. `samizdat help` lists them.")
    if args[0] == "demo":
        # The demo generates and keeps its own SECRET_KEY in the data dir.
        os.environ.setdefault("SAMIZDAT_DEMO", "1")
    if "--help" in args or "-h" in args:
        # A command's help needs no configuration: nothing is signed or stored.
        os.environ.setdefault("SECRET_KEY", "only-for-help")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
    traceback = "--traceback" in args
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 -- read the settings now, to report a problem plainly
        if args[0] in NEED_TABLES and not ({"--help", "-h"} & set(args)):
            require_tables()
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        message = explain(error)
        if traceback or message is None:
            raise
        fail(message)


if __name__ == "__main__":
    main()
