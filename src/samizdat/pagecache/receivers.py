"""Make kept pages stale when anything readers see changes.

Connected in ``PageCacheConfig.ready()``. Generations are replaced once the change is
committed: a page rendered meanwhile, from the old data, is then stale too. A comment
replaces its own post's (or page's) generation and ``lists``; any other change, the site's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from samizdat.pagecache.store import LISTS, invalidate


def changed(sender=None, **kwargs) -> None:
    """A change readers may see: invalidate when it is committed."""
    transaction.on_commit(invalidate)


def comment_changed(sender=None, instance=None, **kwargs) -> None:
    """A comment saved or deleted: its entry's pages and the lists, not the whole site."""
    names = discussion_generations(
        {instance.post_id} - {None}, {getattr(instance, "page_id", None)} - {None}
    )
    transaction.on_commit(lambda: invalidate(names))


def comments_changed(sender=None, post_ids=(), page_ids=(), **kwargs) -> None:
    """Comments moderated or deleted in bulk, on the posts and pages named."""
    names = discussion_generations(set(post_ids), set(page_ids))
    transaction.on_commit(lambda: invalidate(names))


def discussion_generations(post_ids: set, page_ids: set) -> tuple[str, ...]:
    return (LISTS, *(f"post:{pk}" for pk in post_ids), *(f"page:{pk}" for pk in page_ids))


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

    # What comments are on, and the login choices the comment form offers: the site.
    for model in (Post, Page, Source, Category, Tag, SocialApp):
        uid = f"pagecache-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(changed, sender=model, dispatch_uid=uid + "-delete")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"pagecache-{through}")
    # Comments: their own entry and the lists.
    post_save.connect(comment_changed, sender=Comment, dispatch_uid="pagecache-comment-save")
    post_delete.connect(comment_changed, sender=Comment, dispatch_uid="pagecache-comment-delete")
    # Moderation in bulk updates rows without saving each comment.
    comments_moderated.connect(comments_changed, dispatch_uid="pagecache-moderated")
    comments_deleted.connect(comments_changed, dispatch_uid="pagecache-deleted")
    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="pagecache-user")
    setting_changed.connect(setting_changed_receiver, dispatch_uid="pagecache-settings")
