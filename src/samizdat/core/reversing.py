"""URLs reversed once per process: reader pages reverse the same few names every time.

Django's ``reverse`` costs about 55 µs; a post page asked for a dozen, the same ones for
every reader. The result depends only on the name, the arguments, the script prefix and
the URLconf, so those are the key.
"""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf, name: str, args: tuple) -> str:
    # ``prefix`` is the key only: reverse() reads the same thread-local prefix itself.
    return reverse(name, args=args, urlconf=urlconf)


def reverse_once(name: str, *args) -> str:
    """``reverse(name, args=args)``, remembered for this script prefix and URLconf."""
    return _reversed(get_script_prefix(), get_urlconf(), name, tuple(str(a) for a in args))


def forget(**kwargs) -> None:
    """Settings changed (tests): URLconfs may have, too."""
    _reversed.cache_clear()
