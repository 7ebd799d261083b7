"""Signal receivers of the identity app, connected in ``IdentityConfig.ready()``."""

from samizdat.identity import services


def remember_identity(sender, request, sociallogin, **kwargs):
    """Note which provider account the reader is commenting with."""
    services.remember_identity(request, sociallogin.account)


def forget_identity(sender, request, **kwargs):
    services.forget_identity(request)
