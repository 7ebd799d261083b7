import secrets

from samizdat.pagecache.store import store


def page_cache(request):
    """Tell templates whether the page will be shared, and the site's content generation.

    A shared page leaves out the CSRF token (the form's script fetches one). Fragments
    cached with ``content_generation`` in their key are stale once anything changes.
    """
    shared = getattr(request, "page_cache", None)
    if shared is not None:
        generation = shared.generation.hex()
    else:
        try:
            generation = store.generation.current().hex()
        except Exception:
            # The store is down: no fragment may be trusted, so none is reused.
            generation = "down-" + secrets.token_hex(8)
    return {"shared_page": shared is not None, "content_generation": generation}
