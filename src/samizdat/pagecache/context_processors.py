from samizdat.pagecache.store import store


def page_cache(request):
    """Tell templates whether the page will be shared, and the site's content generation.

    A shared page leaves out the CSRF token (the form's script fetches one). Fragments
    cached with ``content_generation`` in their key are stale once anything changes.
    """
    shared = getattr(request, "page_cache", None)
    return {
        "shared_page": shared is not None,
        "content_generation": (shared.generation if shared else store.generation.current()).hex(),
    }
