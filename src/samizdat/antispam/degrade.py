"""The antispam app says a part is down as every app does (samizdat.core.degrade)."""

from samizdat.core.degrade import _last, warn_once_a_minute

__all__ = ["_last", "warn_once_a_minute"]
