"""``samizdat import_wxr FILE``: bring in a WordPress export, with a progress bar."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from samizdat.interchange.importers import ImportReport, count_items, import_wxr
from samizdat.interchange.wxr import WxrError


def print_report(console: Console, report: ImportReport, title: str) -> None:
    table = Table(title=title + (" (dry run: nothing was saved)" if report.dry_run else ""))
    for column in ("kind", "created", "updated", "skipped", "why"):
        table.add_column(
            column, justify="right" if column in ("created", "updated", "skipped") else "left"
        )
    for kind, created, updated, skipped, why in report.rows():
        table.add_row(kind, str(created), str(updated), str(skipped), why)
    console.print(table)
    for note in report.notes[:50]:
        console.print(f"[yellow]{note}[/yellow]")


class Command(BaseCommand):
    help = "Import posts, pages, comments, authors and terms from a WordPress export (WXR)."

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
            total = count_items(file)
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
                report = import_wxr(
                    file,
                    dry_run=dry_run,
                    recover=recover,
                    progress=lambda n: progress.advance(task, n),
                )
            except WxrError as exc:
                raise CommandError(str(exc)) from exc
        print_report(console, report, f"Imported {file}")
