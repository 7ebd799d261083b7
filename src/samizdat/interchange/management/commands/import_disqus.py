"""``samizdat import_disqus FILE``: bring in comments from a Disqus export."""

from samizdat.interchange.commands import ImportCommand
from samizdat.interchange.disqus import import_disqus


class Command(ImportCommand):
    help = "Import comments from a Disqus export, matching its threads to posts by link."
    importer = import_disqus
    units = (b"<post ",)
