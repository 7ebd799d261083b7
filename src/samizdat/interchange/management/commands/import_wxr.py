"""``samizdat import_wxr FILE``: bring in a WordPress export, with a progress bar."""

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from samizdat.interchange.commands import ImportCommand
from samizdat.interchange.importers import import_wxr


class Command(ImportCommand):
    help = "Import posts, pages, comments, authors and terms from a WordPress export (WXR)."
    importer = import_wxr
    units = (b"<item>", b"<wp:comment>")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--media",
            choices=["links", "download"],
            default="links",
            help="links: keep images on the old site (default); download: fetch every "
            "attachment and every image in the posts on the old site's host into the media "
            "library, and point the posts at the copies. A second run resumes.",
        )
        parser.add_argument(
            "--media-workers",
            type=int,
            default=4,
            help="Downloads at once (at most 2 to one host). Default 4.",
        )

    def handle(self, *args, file, dry_run, recover, media, media_workers, **options):
        super().handle(*args, file=file, dry_run=dry_run, recover=recover, **options)
        if media != "download" or dry_run:
            return
        from samizdat.interchange import media as media_download

        console = Console(file=self.stdout)
        hosts = media_download.site_hosts(file)
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("Downloading media", total=None)
            try:
                report = media_download.download(
                    hosts, workers=media_workers, progress=lambda n: progress.advance(task, n)
                )
            except OSError as error:
                raise CommandError(f"Cannot store media: {error}") from error
        console.print(
            f"Media: {report.downloaded} downloaded, {report.already} already here, "
            f"{len(report.failed)} failed; {report.rewritten} post(s) and page(s) now show "
            "the local copies."
        )
        for url, reason in sorted(report.failed.items())[:100]:
            console.print(f"[yellow]not downloaded: {url} ({reason})[/yellow]")
        if len(report.failed) > 100:
            console.print(f"[yellow]... and {len(report.failed) - 100} more[/yellow]")
