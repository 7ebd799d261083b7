"""The discussion app's settings, each a ``SAMIZDAT_COMMENTS_*`` Django setting with a default.

Read through the properties below rather than ``django.conf.settings`` so that
defaults live in one place and tests can override settings at run time.
"""

from django.conf import settings

#: WordPress's limits on thread depth.
MAX_DEPTH_LIMIT = 10


class AppSettings:
    prefix = "SAMIZDAT_COMMENTS_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def MODERATION(self) -> str:
        """``previously_approved`` (WordPress's default), ``all`` or ``none``."""
        return self._setting("MODERATION", "previously_approved")

    @property
    def MODERATOR(self) -> str:
        """Dotted path of the moderation policy class."""
        return self._setting("MODERATOR", "samizdat.discussion.moderation.CommentModerator")

    @property
    def MAX_DEPTH(self) -> int:
        """How deep replies nest; replies below it attach at this depth (1 to 10)."""
        return max(1, min(int(self._setting("MAX_DEPTH", 5)), MAX_DEPTH_LIMIT))

    @property
    def PER_PAGE(self) -> int:
        """Top-level comments per page."""
        return max(1, int(self._setting("PER_PAGE", 50)))

    @property
    def MAX_LENGTH(self) -> int:
        """Longest comment accepted, in characters."""
        return int(self._setting("MAX_LENGTH", 20_000))

    @property
    def CLOSE_AFTER_DAYS(self) -> int | None:
        """Close comments this many days after publication; None keeps them open."""
        return self._setting("CLOSE_AFTER_DAYS", None)

    @property
    def FLOOD_SECONDS(self) -> int:
        """Least time between two comments from one author or IP address."""
        return int(self._setting("FLOOD_SECONDS", 15))

    @property
    def DUPLICATE_SECONDS(self) -> int:
        """Window in which the same author posting the same text is a duplicate."""
        return int(self._setting("DUPLICATE_SECONDS", 60))


app_settings = AppSettings()
