from django.apps import AppConfig


class AntispamConfig(AppConfig):
    """Checks every new comment in order and holds or files as spam what fails them."""

    name = "samizdat.antispam"
    label = "antispam"
    verbose_name = "Spam"

    def ready(self):
        from samizdat.antispam import receivers
        from samizdat.discussion.signals import comment_will_be_posted

        comment_will_be_posted.connect(receivers.check_comment, dispatch_uid="antispam-check")
        from samizdat.discussion.signals import comments_moderated

        comments_moderated.connect(receivers.report_decision, dispatch_uid="antispam-report")

        from samizdat.interchange.signals import import_committed

        import_committed.connect(receivers.learn_from_import, dispatch_uid="antispam-import")

        from django.db.models.signals import post_delete, post_save

        from samizdat.antispam.models import SpamKey
        from samizdat.pagecache.receivers import changed

        # Keys are read once per site generation (keys.py): a change starts a new one.
        post_save.connect(changed, sender=SpamKey, dispatch_uid="antispam-keys-save")
        post_delete.connect(changed, sender=SpamKey, dispatch_uid="antispam-keys-delete")
