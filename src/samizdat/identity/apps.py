from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Who is commenting: social and email logins (allauth), avatars, the identity bar."""

    name = "samizdat.identity"
    label = "identity"
    verbose_name = "Identity"

    def ready(self):
        from allauth.account.signals import user_logged_out
        from allauth.socialaccount.signals import pre_social_login

        from samizdat.identity import receivers, testing

        pre_social_login.connect(receivers.remember_identity, dispatch_uid="samizdat-identity")
        user_logged_out.connect(receivers.forget_identity, dispatch_uid="samizdat-identity-out")
        testing.apply_provider_url_overrides()
