"""``samizdat export_wxr [-o FILE]``: the whole site as WordPress eXtended RSS 1.2."""

from samizdat.interchange.commands import ExportCommand
from samizdat.interchange.exporters import write_wxr


class Command(ExportCommand):
    help = "Export posts, pages, comments, authors and terms as WXR 1.2 (WordPress's format)."
    writer = write_wxr
    binary = True
