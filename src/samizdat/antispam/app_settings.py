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
                "samizdat.antispam.checks.ProofOfWork",
                "samizdat.antispam.checks.LinksAndKeys",
                "samizdat.antispam.checks.LearnedFilter",
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

    @property
    def SPAM_SCORE(self) -> float:
        """A learned score at or above this files the comment as spam."""
        return float(self._setting("SAMIZDAT_SPAM_SCORE", 0.6))

    @property
    def HOLD_SCORE(self) -> float:
        """A learned score at or above this (and below SPAM_SCORE) holds the comment."""
        return float(self._setting("SAMIZDAT_SPAM_HOLD_SCORE", 0.4))

    @property
    def MIN_EXAMPLES(self) -> int:
        """Fewer spam or approved comments than this to learn from: the filter abstains."""
        return int(self._setting("SAMIZDAT_SPAM_MIN_EXAMPLES", 20))

    @property
    def TRAINING_LIMIT(self) -> int:
        """Train on the newest this many comments of each kind."""
        return int(self._setting("SAMIZDAT_SPAM_TRAINING_LIMIT", 10_000))

    @property
    def MODEL_FEATURES(self) -> int:
        """Keep at most this many features (the most frequent) in the model."""
        return int(self._setting("SAMIZDAT_SPAM_MODEL_FEATURES", 300_000))

    @property
    def MODEL_CHECK_SECONDS(self) -> float:
        """How often each process looks for a newer model."""
        return float(self._setting("SAMIZDAT_SPAM_MODEL_CHECK_SECONDS", 30))

    @property
    def AUTOTRAIN(self) -> str:
        """Retrain after decisions: "queue" (the task queue), "inline" or "off"."""
        return self._setting("SAMIZDAT_SPAM_AUTOTRAIN", "queue")

    @property
    def RETRAIN_DELAY(self) -> float:
        """Seconds between a decision and the retraining it starts (a burst trains once)."""
        return float(self._setting("SAMIZDAT_SPAM_RETRAIN_DELAY", 30))

    @property
    def CHALLENGE(self) -> bool:
        """Ask browsers for a proof of work (ALTCHA) before a comment is accepted."""
        value = self._setting("SAMIZDAT_COMMENTS_CHALLENGE", False)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "on", "true", "yes")
        return bool(value)

    @property
    def CHALLENGE_COST(self) -> int:
        """PBKDF2 iterations per attempt at the challenge."""
        return int(self._setting("SAMIZDAT_COMMENTS_CHALLENGE_COST", 1000))

    @property
    def CHALLENGE_WORK(self) -> int:
        """The answer is below this many attempts (on average half of it)."""
        return int(self._setting("SAMIZDAT_COMMENTS_CHALLENGE_WORK", 3000))

    @property
    def CHALLENGE_SECONDS(self) -> int:
        """How long a challenge may be answered (a slow writer gets a fresh one)."""
        return int(self._setting("SAMIZDAT_COMMENTS_CHALLENGE_SECONDS", 3600))


app_settings = AppSettings()
