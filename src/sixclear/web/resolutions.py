"""A resolution as one structure (its items, task groups with their tasks, targets by area and
the programs that carry it out), and writing it: the resolution itself, then its ordered
viewpoints, breakthroughs and task groups. Thin: fetch through the visible_* selectors, call
plans.services, show their errors; a stale edit answers 409 with the person's input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.plans import rules, services
from sixclear.plans.forms import ItemForm, MoveForm, NewItemForm, ResolutionForm
from sixclear.plans.models import ResolutionItem, ResolutionItemKind
from sixclear.plans.selectors import (
    changed_since,
    plan_history,
    resolution_items,
    visible_resolutions,
)
from sixclear.tracking import selectors as tracking
from sixclear.versioning import StaleEdit

from .editing import CONFLICT, save_edit
from .tasks import is_htmx

ITEM_HEADINGS = {
    ResolutionItemKind.VIEWPOINT: gettext_lazy("Leadership viewpoints"),
    ResolutionItemKind.BREAKTHROUGH: gettext_lazy("Breakthroughs"),
    ResolutionItemKind.TASK_GROUP: gettext_lazy("Groups of tasks and solutions"),
}


def may_write(user, unit):
    return reaches_unit(user, unit, Role.MANAGER)


@login_required
def resolution_detail(request, pk):
    resolution = get_object_or_404(
        visible_resolutions(request.user).select_related("unit"), pk=pk
    )
    context = {
        "page": tracking.resolution_page(request.user, resolution),
        "resolution": resolution,
        "trail": unit_trail(request.user, resolution.unit),
        "can_edit": may_write(request.user, resolution.unit),
        "history": plan_history(resolution),
    }
    return render(request, "plans/resolution_detail.html", context)


def _form_page(request, unit, form, resolution=None, status=200):
    context = {"form": form, "unit": unit, "resolution": resolution,
               "trail": unit_trail(request.user, unit)}
    return render(request, "plans/resolution_form.html", context, status=status)


def _writable_unit(request, unit_pk):
    unit = get_object_or_404(visible_units(request.user), pk=unit_pk)
    if not may_write(request.user, unit):
        raise PermissionDenied
    return unit


def _writable_resolution(request, pk):
    resolution = get_object_or_404(
        visible_resolutions(request.user).select_related("unit"), pk=pk)
    if not may_write(request.user, resolution.unit):
        raise PermissionDenied
    return resolution


@login_required
def resolution_create(request, unit_pk):
    unit = _writable_unit(request, unit_pk)
    form = ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = services.create_resolution(actor=request.user, unit=unit,
                                                    **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The resolution was saved. Now add its viewpoints, "
                                        "breakthroughs and task groups."))
            return redirect("plans:resolution_items", pk=resolution.pk)
    return _form_page(request, unit, form)


@login_required
def resolution_edit(request, pk):
    resolution = _writable_resolution(request, pk)
    form = ResolutionForm(request.POST or None, instance=resolution)
    status = save_edit(request, form, resolution, changed=changed_since, save=lambda version:
                       services.update_resolution(actor=request.user, resolution=resolution,
                                                  expected_version=version, **form.changes()))
    if status is None:
        messages.success(request, _("The resolution was saved."))
        return redirect("plans:resolution", pk=resolution.pk)
    return _form_page(request, resolution.unit, form, resolution, status)


# Items -----------------------------------------------------------------------------------------

def _item_lists(user, resolution, failed=None):
    """Each kind's items with their add form (or the one that just failed, `failed`:
    (kind, form))."""
    items = resolution_items(resolution)
    return [
        {"kind": kind, "heading": ITEM_HEADINGS[kind], "items": items[kind],
         "form": failed[1] if failed and failed[0] == kind else NewItemForm(kind=kind)}
        for kind in ResolutionItemKind.values
    ]


def _items_page(request, resolution, failed=None, status=200, error=None):
    context = {
        "resolution": resolution, "trail": unit_trail(request.user, resolution.unit),
        "lists": _item_lists(request.user, resolution, failed),
        "can_change_items": rules.may_change_items(request.user, resolution),
        "error": error,
    }
    return render(request, "plans/resolution_items.html", context, status=status)


@login_required
def resolution_items_page(request, pk):
    return _items_page(request, _writable_resolution(request, pk))


@login_required
@require_POST
def item_add(request, pk):
    resolution = _writable_resolution(request, pk)
    form = NewItemForm(request.POST, kind=request.POST.get("kind"))
    if form.is_valid():
        try:
            services.add_resolution_item(actor=request.user, resolution=resolution,
                                         **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _back_to_items(request, resolution, form.cleaned_data["kind"])
    kind = form.cleaned_data.get("kind") or request.POST.get("kind")
    if is_htmx(request) and kind in ResolutionItemKind.values:
        return _item_list(request, resolution, kind, form)
    return _items_page(request, resolution, failed=(kind, form), status=400)


def _item_list(request, resolution, kind, form=None, error=None):
    """One kind's list, as htmx swaps it after a move, an addition or a removal (htmx swaps
    only a 2xx answer, so a refusal comes back as the list with its reason)."""
    for entry in _item_lists(request.user, resolution, (kind, form) if form else None):
        if entry["kind"] == kind:
            context = {"list": entry, "resolution": resolution, "error": error,
                       "can_change_items": rules.may_change_items(request.user, resolution)}
            return render(request, "plans/_item_list.html", context)
    raise BadRequest


def _back_to_items(request, resolution, kind):
    if is_htmx(request):
        return _item_list(request, resolution, kind)
    return redirect(f"{resolution_items_url(resolution)}#items-{kind}")


def resolution_items_url(resolution):
    return reverse("plans:resolution_items", args=[resolution.pk])


def _writable_item(request, pk):
    item = get_object_or_404(
        ResolutionItem.objects.filter(resolution__in=visible_resolutions(request.user))
        .select_related("resolution__unit"), pk=pk)
    if not may_write(request.user, item.resolution.unit):
        raise PermissionDenied
    return item


@login_required
def item_edit(request, pk):
    item = _writable_item(request, pk)
    resolution = item.resolution
    form = ItemForm(request.POST or None, instance=item)
    status = save_edit(request, form, item, changed=changed_since, save=lambda version:
                       services.update_resolution_item(actor=request.user, item=item,
                                                       expected_version=version,
                                                       **form.changes()))
    if status is None:
        messages.success(request, _("The item was saved."))
        return redirect(f"{resolution_items_url(resolution)}#items-{item.kind}")
    context = {"form": form, "item": item, "resolution": resolution,
               "trail": unit_trail(request.user, resolution.unit)}
    return render(request, "plans/item_form.html", context, status=status)


def _versioned_post(request, form_class=MoveForm):
    form = form_class(request.POST)
    if not form.is_valid():
        raise BadRequest
    return form.cleaned_data


def _refused(request, error, resolution, kind):
    """A move or removal that a rule or a newer version refused: the list as it is now, with
    the reason (409 for a stale page, 400 otherwise; with htmx, the list in place)."""
    reason = " ".join(error.messages)
    if is_htmx(request):
        return _item_list(request, resolution, kind, error=reason)
    status = CONFLICT if isinstance(error, StaleEdit) else 400
    return _items_page(request, resolution, status=status, error=reason)


@login_required
@require_POST
def item_move(request, pk):
    item = _writable_item(request, pk)
    data = _versioned_post(request)
    try:
        services.move_resolution_item(actor=request.user, item=item,
                                      expected_version=data["version"],
                                      direction=data["direction"])
    except ValidationError as error:
        return _refused(request, error, item.resolution, item.kind)
    return _back_to_items(request, item.resolution, item.kind)


@login_required
@require_POST
def item_delete(request, pk):
    item = _writable_item(request, pk)
    form = MoveForm({"version": request.POST.get("version"), "direction": "up"})
    if not form.is_valid():
        raise BadRequest
    try:
        services.delete_resolution_item(actor=request.user, item=item,
                                        expected_version=form.cleaned_data["version"])
    except ValidationError as error:
        return _refused(request, error, item.resolution, item.kind)
    if not is_htmx(request):
        messages.success(request, _("The item was removed."))
    return _back_to_items(request, item.resolution, item.kind)
