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

#: Sent after moderation changed the status of one or more comments, inside its transaction.
#: Arguments: ``sender`` (the Comment class), ``comments`` (list of Comment, with the new
#: status), ``status`` (the new status), ``post_ids`` and ``page_ids`` (sets of the ids
#: of the posts and pages they are on), ``previous_statuses`` ({comment id: the status
#: it had}).
comments_moderated = Signal()

#: Sent after comments were deleted for good (Delete permanently, Empty Spam or Trash),
#: inside the transaction that deleted them; no ``post_delete`` is sent for each.
#: Arguments: ``sender`` (the Comment class), ``comments`` (list of the deleted Comment
#: instances), ``post_ids`` and ``page_ids`` (sets of the ids of their posts and pages).
comments_deleted = Signal()
