def page_cache(request):
    """Tell templates whether the page will be shared by readers.

    A shared page leaves out the CSRF token and the spam checks' token (the form's script
    fetches them).
    """
    return {"shared_page": getattr(request, "page_cache", None) is not None}
