"""The desk's settings, each a ``SAMIZDAT_*`` Django setting with a default."""

from django.conf import settings


class AppSettings:
    @property
    def PER_PAGE(self) -> int:
        """Comments on a page of the desk's queues."""
        return max(1, int(getattr(settings, "SAMIZDAT_DESK_PER_PAGE", 20)))

    @property
    def TRASH_DAYS(self) -> int:
        """Spam and trash older than this many days are deleted for good (0: never)."""
        return int(getattr(settings, "SAMIZDAT_TRASH_DAYS", 30))

    @property
    def UNDO_SECONDS(self) -> int:
        """How long an action can be undone from its row."""
        return int(getattr(settings, "SAMIZDAT_DESK_UNDO_SECONDS", 600))


app_settings = AppSettings()
