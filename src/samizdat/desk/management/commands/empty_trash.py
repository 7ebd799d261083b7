"""``samizdat empty_trash``: delete spam and trash older than SAMIZDAT_TRASH_DAYS, for good."""

from django.core.management.base import BaseCommand, CommandError

from samizdat.desk.app_settings import app_settings
from samizdat.desk.services import empty


class Command(BaseCommand):
    help = "Delete comments that have been in Spam or Trash longer than SAMIZDAT_TRASH_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Older than this many days (default: SAMIZDAT_TRASH_DAYS, 30).",
        )

    def handle(self, *args, days=None, **options):
        days = app_settings.TRASH_DAYS if days is None else days
        if days <= 0:
            raise CommandError("Nothing to do: SAMIZDAT_TRASH_DAYS is 0 (keep them forever).")
        for status in ("spam", "trash"):
            deleted = empty(status, None, older_than_days=days)
            self.stdout.write(f"{status}: {deleted} comment(s) older than {days} days deleted.")
