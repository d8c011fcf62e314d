"""The admin writes through the services, like every other door.

A `ServiceAdmin` names, in `write`, the service calls that save what its form holds. The form
tries that write when it is validated, inside a transaction that is then rolled back, so the
services' own errors (references, the six clears, authority, stale versions) appear on the form
beside their fields; saving runs the write for real. No rule is written here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import ModelForm
from simple_history.admin import SimpleHistoryAdmin

from sixclear.admin_versioning import VersionedForm
from sixclear.versioning import StaleEdit


class _TryOnly(Exception):
    """Undoes a write tried while validating the form."""


class ServiceForm(VersionedForm):
    service_admin: ServiceAdmin
    request: Any

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            with transaction.atomic():
                self.service_admin.write(self.request, self._stored(), cleaned)
                raise _TryOnly
        except _TryOnly:
            pass
        except (ValidationError, StaleEdit) as error:
            self._show(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return cleaned

    def _stored(self):
        model = self._meta.model
        return model.objects.get(pk=self.instance.pk) if self.instance.pk else None

    def _show(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ServiceAdmin(SimpleHistoryAdmin):
    """Saves through `write(request, stored, cleaned)`; subclasses implement it."""

    form: type[ModelForm] = ServiceForm

    def write(self, request, stored, cleaned: dict) -> Any:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"service_admin": self, "request": request})

    def save_model(self, request, obj, form, change):
        stored = form._stored()
        written = self.write(request, stored, form.cleaned_data)
        obj.pk = written.pk
        obj.__dict__.update({k: v for k, v in written.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Links were set by the service; inlines of a service admin are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
