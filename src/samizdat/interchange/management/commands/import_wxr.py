"""``samizdat import_wxr FILE``: bring in a WordPress export, with a progress bar."""

from samizdat.interchange.commands import ImportCommand
from samizdat.interchange.importers import import_wxr


class Command(ImportCommand):
    help = "Import posts, pages, comments, authors and terms from a WordPress export (WXR)."
    importer = import_wxr
    units = (b"<item>", b"<wp:comment>")
