def page_cache(request):
    """Tell templates the page will be shared: leave out the CSRF token (fetched by script)."""
    return {"shared_page": getattr(request, "page_cache", None) is not None}
