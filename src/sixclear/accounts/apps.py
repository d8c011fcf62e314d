from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds the lockout's config below
    name = "sixclear.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clock

        # The absolute lifetime of a session counts from the moment of signing in.
        user_logged_in.connect(start_session_clock, dispatch_uid="sixclear.session_clock")


class SignInLockoutConfig(AxesConfig):
    """django-axes with a name in the admin's language: its own is "Axes" in every one."""

    default = False
    verbose_name = _("Sign-in lockouts")
