"""The ``samizdat`` command: Django's management commands with samizdat's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``samizdat migrate``, ``samizdat serve``, ...)."""
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "samizdat"
    if len(argv) > 1 and argv[1] == "demo":
        # The demo generates and keeps its own SECRET_KEY in the data dir.
        os.environ.setdefault("SAMIZDAT_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
