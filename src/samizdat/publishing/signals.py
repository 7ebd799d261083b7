"""Signals sent by the publishing app."""

from django.dispatch import Signal

#: Sent once when a post goes live: at once when it is published, at its time when it
#: is scheduled (the task queue's worker sends it then). Not sent for imported posts.
#: Arguments: ``sender`` (the Post class), ``post``.
post_published = Signal()
