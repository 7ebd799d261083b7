"""``samizdat export_wxr [-o FILE]``: the whole site as WordPress eXtended RSS 1.2."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from samizdat.interchange.exporters import write_wxr


class Command(BaseCommand):
    help = "Export posts, pages, comments, authors and terms as WXR 1.2 (WordPress's format)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help="The site's address, for the links in the file.",
        )

    def handle(self, *args, output=None, base_url, **options):
        if output:
            with open(output, "wb") as handle:
                count = write_wxr(handle, base_url)
            self.stderr.write(f"Wrote {count} items to {output}.")
        else:
            write_wxr(sys.stdout.buffer, base_url)
