"""The spam checks' settings, each a ``SAMIZDAT_*`` Django setting with a default."""

from django.conf import settings


class AppSettings:
    def _setting(self, name, default):
        return getattr(settings, name, default)

    @property
    def CHECKS(self) -> list[str]:
        """The checks, in the order they run (dotted paths of Check classes)."""
        return self._setting(
            "SAMIZDAT_SPAM_CHECKS",
            [
                "samizdat.antispam.checks.Honeypot",
                "samizdat.antispam.checks.Timing",
                "samizdat.antispam.checks.LinksAndKeys",
                "samizdat.antispam.akismet.Akismet",
            ],
        )

    @property
    def MAX_LINKS(self) -> int:
        """More links than this in a comment hold it for moderation (WordPress: 2)."""
        return int(self._setting("SAMIZDAT_COMMENTS_MAX_LINKS", 2))

    @property
    def MIN_SECONDS(self) -> int:
        """A comment sent sooner than this after its form was first used is held."""
        return int(self._setting("SAMIZDAT_COMMENTS_MIN_SECONDS", 3))

    @property
    def TOKEN_MAX_AGE(self) -> int:
        """A form token older than this (seconds) holds the comment."""
        return int(self._setting("SAMIZDAT_COMMENTS_TOKEN_MAX_AGE", 86_400))


app_settings = AppSettings()
