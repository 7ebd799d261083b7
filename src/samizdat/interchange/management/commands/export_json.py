"""``samizdat export_json [-o FILE]``: the whole site as JSON (docs/export-json.md)."""

from samizdat.interchange.commands import ExportCommand
from samizdat.interchange.exporters import write_json


class Command(ExportCommand):
    help = "Export posts, pages, comments, sources, authors and terms as JSON."
    writer = write_json
