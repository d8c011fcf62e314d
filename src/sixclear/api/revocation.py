"""Personal API tokens end with the password they were issued under (ASVS V3.3.3, V2.1.4).

A token acts as its owner. When the owner's password changes, whoever knew the old one may have
made a token with it, so every token of the person is revoked; when the account is closed
(`is_active` off), its tokens are revoked for good, and opening the account again does not bring
them back. The rule is kept at the user row's save, so it holds for every way a password changes
or an account closes: the password page, the admin, `changepassword`, services and imports.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.utils import timezone

from .models import ApiToken

WATCHED = {"password", "is_active"}


def revoke_tokens_of(user):
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def _revoke_on_credential_change(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return  # a new account, or a save of other fields (sign-in writes only last_login)
    if _is_rehash(instance, update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and
                                                   not instance.is_active):
        revoke_tokens_of(instance)


def _is_rehash(user, update_fields):
    """Signing in may store the same password under a stronger hash (check_password saves only
    the password, with no new raw password pending): that is no change of password."""
    return (update_fields is not None and set(update_fields) == {"password"}
            and getattr(user, "_password", None) is None)


def connect():
    pre_save.connect(_revoke_on_credential_change, sender=get_user_model(),
                     dispatch_uid="sixclear.api.revoke_on_credential_change")
