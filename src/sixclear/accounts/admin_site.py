"""The Django admin, opened only to a session that gave its second factor when the person has
one or must have one (`SIXCLEAR_REQUIRE_SECOND_FACTOR`)."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .middleware import owed_step, with_next


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and owed_step(request, fresh=True) is None

    def login(self, request, extra_context=None):
        # Signed in with the password but owing a code: the code, not a second password form.
        step = owed_step(request, fresh=True)
        if step is not None:
            return redirect(with_next(step, request.GET.get("next") or reverse("admin:index")))
        return super().login(request, extra_context)
