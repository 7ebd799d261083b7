"""``samizdat export_json [-o FILE]``: the whole site as JSON (docs/export-json.md)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from samizdat.interchange.exporters import write_json


class Command(BaseCommand):
    help = "Export posts, pages, comments, sources, authors and terms as JSON."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help="The site's address, for the links in the file.",
        )

    def handle(self, *args, output=None, base_url, **options):
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                count = write_json(handle, base_url)
            self.stderr.write(f"Wrote {count} posts and pages to {output}.")
        else:
            write_json(sys.stdout, base_url)
