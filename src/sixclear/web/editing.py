"""Saving an edit form through its service, as every edit page of a versioned record does: the
service claims the version the person saw; a stale edit answers 409 with the person's input
kept and, beside each field, what someone else saved meanwhile."""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from sixclear.versioning import StaleEdit

CONFLICT = 409


def save_edit(request, form, instance, save: Callable[[int | None], object],
              changed: Callable[..., set[str] | None]) -> int | None:
    """Save the posted, valid `form` with `save(expected_version)`. None once saved; else the
    status the form page answers with: 200 before a valid post or when the service refused the
    input (its reasons on the form), 409 when someone else saved first (`instance` read again,
    `changed(instance, version)` naming the fields they changed)."""
    if request.method != "POST" or not form.is_valid():
        return 200
    version = form.cleaned_data["version"]
    try:
        save(version)
    except ValidationError as error:
        instance.refresh_from_db()
        form.add_service_error(error)
        if isinstance(error, StaleEdit):
            form.show_conflicts(instance, changed(instance, version))
            return CONFLICT
        return 200
    return None
