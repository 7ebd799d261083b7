"""Signals sent by the discussion app.

Receivers are connected in ``DiscussionConfig.ready()``; other apps (the page
cache, notifications, spam filters) connect their own.
"""

from django.dispatch import Signal

#: Sent before a new comment is saved, after the moderation policy has set its status.
#: Arguments: ``sender`` (the Comment class), ``comment`` (unsaved), ``request``.
#: A receiver that returns False rejects the comment; the reader sees a form error.
comment_will_be_posted = Signal()

#: Sent after a new comment is saved, inside the transaction that saved it.
#: Arguments: ``sender`` (the Comment class), ``comment``, ``request``.
comment_was_posted = Signal()

#: Sent after moderation changed the status of one or more comments.
#: Arguments: ``sender`` (the Comment class), ``comments`` (list of Comment, with the new
#: status), ``status`` (the new status), ``post_ids`` (set of affected post ids).
comments_moderated = Signal()
