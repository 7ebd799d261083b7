"""``samizdat import_disqus FILE``: bring in comments from a Disqus export."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from samizdat.interchange.disqus import import_disqus
from samizdat.interchange.management.commands.import_wxr import print_report
from samizdat.interchange.wxr import WxrError


def count_posts(path: str) -> int:
    with open(path, "rb") as handle:
        return sum(line.count(b"<post ") for line in handle)


class Command(BaseCommand):
    help = "Import comments from a Disqus export, matching its threads to posts by link."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, then save nothing."
        )
        parser.add_argument(
            "--recover",
            action="store_true",
            help="Import what can be read from a broken file, and report the rest.",
        )

    def handle(self, *args, file, dry_run, recover, **options):
        console = Console(file=self.stdout)
        try:
            total = count_posts(file)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("Importing", total=total or None)
            try:
                report = import_disqus(
                    file,
                    dry_run=dry_run,
                    recover=recover,
                    progress=lambda n: progress.advance(task, n),
                )
            except WxrError as exc:
                raise CommandError(str(exc)) from exc
        print_report(console, report, f"Imported {file}")
