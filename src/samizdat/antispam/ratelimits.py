"""Rate limits on posting, beyond the moderation policy's flood check.

Counted per IP network (a /24 for IPv4, a /48 for IPv6, as Isso counts them), per
email address and per login identity, in fixed windows kept in the ``ratelimits``
cache: Redis when ``REDIS_URL`` is set (shared by every machine), else files in the
data directory (shared by the workers of one machine). A comment over a limit is
refused with the text kept, like the flood check, so a bot cannot fill the Pending
queue. A cache that is down lets comments through and says so in the log, once a
minute at most.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import ngettext

from samizdat.antispam.degrade import warn_once_a_minute
from samizdat.discussion.moderation import CommentRejected

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, value: str) -> Limit | None:
        """Read "COUNT/SECONDS" ("20/600"); "off", empty or malformed means no limit."""
        try:
            count, seconds = (int(part) for part in value.split("/"))
        except (AttributeError, ValueError):
            return None
        return cls(count, seconds) if count > 0 and seconds > 0 else None


def network_of(address: str | None) -> str | None:
    """Return the /24 (IPv4) or /48 (IPv6) network an address is in."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def buckets(comment) -> list[tuple[str, Limit]]:
    """The counters a new comment adds to, each with its limit."""
    network = Limit.parse(getattr(settings, "SAMIZDAT_COMMENTS_RATE_NETWORK", "20/600"))
    author = Limit.parse(getattr(settings, "SAMIZDAT_COMMENTS_RATE_AUTHOR", "8/600"))
    found = []
    if network and (net := network_of(comment.ip_address)):
        found.append((f"net:{net}", network))
    if author:
        if comment.identity_provider:
            found.append((f"id:{comment.identity_provider}:{comment.identity_uid}", author))
        elif comment.author_email:
            found.append((f"email:{comment.author_email.lower()}", author))
    return found


def check_rate(comment) -> None:
    """Count the comment; raise CommentRejected when a limit is exceeded."""
    cache = caches["ratelimits"]
    now = time.time()
    for name, limit in buckets(comment):
        window = int(now // limit.seconds)
        key = f"{name}:{limit.seconds}:{window}"
        try:
            cache.add(key, 0, timeout=limit.seconds * 2)
            used = cache.incr(key)
        except Exception:  # the cache is down: slower protection, never a refused reader
            warn_once_a_minute(log, "the ratelimits cache (comment rate limits)")
            return
        if used > limit.count:
            wait = max(1, math.ceil((window + 1) * limit.seconds - now))
            minutes = math.ceil(wait / 60)
            raise CommentRejected(
                ngettext(
                    "Too many comments from your address or account just now. "
                    "Please wait %(n)d minute, then press the button again.",
                    "Too many comments from your address or account just now. "
                    "Please wait %(n)d minutes, then press the button again.",
                    minutes,
                )
                % {"n": minutes}
            )
