"""Make kept pages stale when anything readers see changes.

Connected in ``PageCacheConfig.ready()``. The generation is replaced once the change is
committed: a page rendered meanwhile, from the old data, is then stale too.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from samizdat.pagecache.store import invalidate


def changed(sender=None, **kwargs) -> None:
    """A change readers may see: invalidate when it is committed."""
    transaction.on_commit(invalidate)


def user_changed(sender=None, update_fields=None, **kwargs) -> None:
    """An author's name shows on their posts; a login (last_login) changes nothing shown."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    changed()


def setting_changed_receiver(**kwargs) -> None:
    """Settings changed in a running process (tests do it): nothing kept may survive it."""
    from samizdat.pagecache.store import store

    store.reset()
    invalidate()


def connect() -> None:
    from allauth.socialaccount.models import SocialApp
    from django.core.signals import setting_changed

    from samizdat.discussion.models import Comment
    from samizdat.discussion.signals import comments_deleted, comments_moderated
    from samizdat.publishing.models import Category, Page, Post, Source, Tag

    # Comments, what they are on, and the login choices the comment form offers.
    for model in (Comment, Post, Page, Source, Category, Tag, SocialApp):
        uid = f"pagecache-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(changed, sender=model, dispatch_uid=uid + "-delete")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"pagecache-{through}")
    # Moderation in bulk updates rows without saving each comment.
    comments_moderated.connect(changed, dispatch_uid="pagecache-moderated")
    comments_deleted.connect(changed, dispatch_uid="pagecache-deleted")
    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="pagecache-user")
    setting_changed.connect(setting_changed_receiver, dispatch_uid="pagecache-settings")
