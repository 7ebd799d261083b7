"""What the import and export commands share: progress, the report table, the output."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from samizdat.interchange.importers import ImportReport
from samizdat.interchange.wxr import WxrError


def print_report(console: Console, report: ImportReport, title: str) -> None:
    """Print what was created, updated and skipped, per kind, and why."""
    table = Table(title=title + (" (dry run: nothing was saved)" if report.dry_run else ""))
    table.add_column("kind")
    for column in ("created", "updated", "skipped"):
        table.add_column(column, justify="right")
    table.add_column("why")
    for kind, created, updated, skipped, why in report.rows():
        table.add_row(kind, str(created), str(updated), str(skipped), why)
    console.print(table)
    for note in report.notes[:50]:
        console.print(f"[yellow]{note}[/yellow]")


class ImportCommand(BaseCommand):
    """Run an importer over a file with a progress bar, then print its report."""

    #: The importer: (path, dry_run=, recover=, progress=) -> ImportReport.
    importer: Callable[..., ImportReport]
    #: Bytes that start one unit of progress in the file (an item, a comment...).
    units: tuple[bytes, ...]

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

    def count_units(self, path: str) -> int:
        """Count progress units with a byte scan: cheap next to the import, and no parse."""
        with open(path, "rb") as handle:
            return sum(line.count(unit) for line in handle for unit in self.units)

    def handle(self, *args, file, dry_run, recover, **options):
        console = Console(file=self.stdout)
        try:
            total = self.count_units(file)
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
                report = type(self).importer(
                    file,
                    dry_run=dry_run,
                    recover=recover,
                    progress=lambda n: progress.advance(task, n),
                )
            except WxrError as exc:
                raise CommandError(str(exc)) from exc
        print_report(console, report, f"Imported {file}")


class ExportCommand(BaseCommand):
    """Write an export to a file or standard output."""

    #: The writer: (stream, base_url) -> count; ``binary`` says which stream it wants.
    writer: Callable
    binary = False

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help="The site's address, for the links in the file.",
        )

    def handle(self, *args, output=None, base_url, **options):
        writer = type(self).writer
        if output:
            mode = {"mode": "wb"} if self.binary else {"mode": "w", "encoding": "utf-8"}
            try:
                handle = Path(output).open(**mode)  # noqa: SIM115 -- closed below
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
            with handle:
                count = writer(handle, base_url)
            self.stderr.write(f"Wrote {count} posts and pages to {output}.")
        else:
            writer(sys.stdout.buffer if self.binary else sys.stdout, base_url)
