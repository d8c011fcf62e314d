from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds the lockout's config below
    name = "sixclear.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_second_factor_at_sign_in, start_session_clock

        # The absolute lifetime of a session counts from the moment of signing in.
        user_logged_in.connect(start_session_clock, dispatch_uid="sixclear.session_clock")
        # Whether the person owes a second factor is known from the moment of signing in.
        user_logged_in.connect(note_second_factor_at_sign_in,
                               dispatch_uid="sixclear.second_factor")


class SignInLockoutConfig(AxesConfig):
    """django-axes with a name in the admin's language: its own is "Axes" in every one."""

    default = False
    verbose_name = _("Sign-in lockouts")


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """The Django admin on a site that asks for the second factor (accounts.admin_site)."""

    default = False
    default_site = "sixclear.accounts.admin_site.VerifiedAdminSite"
