"""Signals sent by the interchange app."""

from django.dispatch import Signal

#: Sent after an import (WXR or Disqus, not a dry run) committed its rows. Rows are
#: written in bulk, so no ``post_save`` is sent for each; this is the one notice.
#: Arguments: ``sender`` (the importer class), ``report`` (its ImportReport).
import_committed = Signal()
