"""Creating and editing a target, with its yearly path previewed as the person types, and a
path drawn by hand year by year. Thin: parse, fetch through the selectors, call plans'
services; the path shown is computed by the same code the save uses (`plans.rules`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sixclear.numbers import PLACES, kind_of, separators
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.plans import services
from sixclear.plans.forms import TargetForm, TrajectoryForm
from sixclear.plans.models import Target, TargetKind
from sixclear.plans.rules import is_adopted, may_rebaseline, target_reference_choices
from sixclear.plans.selectors import visible_programs, visible_targets
from sixclear.tracking.forms import VersionForm
from sixclear.versioning import StaleEdit

# Units of measure offered as the person types (a datalist: any other may be typed).
COMMON_UNITS = ("%", "tỷ đồng", "triệu đồng", "triệu USD", "hộ", "người", "dự án",
                "doanh nghiệp", "km", "ha", "lượt", "m²")


def _managed_unit(request, unit_pk):
    """The unit, if the person may see it (404 otherwise) and manage it (403 otherwise)."""
    unit = get_object_or_404(visible_units(request.user), pk=unit_pk)
    if not reaches_unit(request.user, unit, Role.MANAGER):
        raise PermissionDenied
    return unit


def _managed_target(request, pk):
    target = get_object_or_404(visible_targets(request.user).select_related("unit"), pk=pk)
    if not reaches_unit(request.user, target.unit, Role.MANAGER):
        raise PermissionDenied
    return target


def preview_context(form):
    """The preview of the path the form's figures give: rows for the table and the series
    for the chart."""
    path, errors = form.preview()
    figures = form.figures()
    rows = [{"year": year, "expected": low, "expected_high": high} for year, low, high in path]
    baseline = figures.get("baseline_value")
    kind = kind_of(figures.get("unit_of_measure") or "", figures.get("kind") or "")
    chart = {
        "years": [figures.get("baseline_year"), *(row["year"] for row in rows)],
        "expected": [None if baseline is None else float(baseline),
                     *(float(row["expected"]) for row in rows)],
        "expected_high": [None, *(None if row["expected_high"] is None
                                  else float(row["expected_high"]) for row in rows)],
        "numbers": {**separators(), "places": PLACES[kind]},
    }
    return {"preview": {"rows": rows, "errors": errors, "chart": chart if rows else None,
                        "figures": figures, "kind": str(kind)}}


def _form_page(request, unit, form, target=None, status=200):
    context = {
        "form": form, "unit": unit, "target": target,
        "trail": unit_trail(request.user, unit),
        "common_units": COMMON_UNITS,
        **preview_context(form),
    }
    return render(request, "plans/target_form.html", context, status=status)


def _choices(unit, request):
    choices = target_reference_choices(unit)
    # Programs and resolutions the page offers are also ones the person may open.
    choices["programs"] = choices["programs"].filter(pk__in=visible_programs(request.user))
    return choices


@login_required
def target_create(request, unit_pk):
    """A new target of the unit; `?program=<pk>` preselects a program and its resolution."""
    unit = _managed_unit(request, unit_pk)
    choices = _choices(unit, request)
    initial = {"direction": "higher"}
    program_pk = request.GET.get("program", "")
    if program_pk.isdigit():
        program = choices["programs"].filter(pk=int(program_pk)).first()
        if program is not None:
            initial.update(programs=[program.pk], resolution=program.resolution_id)
    form = TargetForm(request.POST or None, choices=choices, initial=initial,
                      instance=Target(unit=unit))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            target = services.create_target(actor=request.user, unit=unit,
                                            programs=form.programs(), **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The target was saved with its yearly path."))
            return redirect("plans:target", pk=target.pk)
    return _form_page(request, unit, form)


@login_required
def target_edit(request, pk):
    """Edit a target. Once adopted, its defining figures are shown but change only through a
    re-baselining request (unless the person is among the leaders who decide them)."""
    target = _managed_target(request, pk)
    held = is_adopted(target) and not may_rebaseline(request.user, target)
    form = TargetForm(request.POST or None, instance=target, held=held,
                      choices=_choices(target.unit, request),
                      initial={"programs": [p.pk for p in target.programs.all()]})
    status = 200
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.update_target(actor=request.user, target=target,
                                   expected_version=form.cleaned_data["version"] or 0,
                                   programs=form.programs(), **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
            if isinstance(error, StaleEdit):
                status = 409
                current = Target.objects.get(pk=target.pk)
                form.show_conflicts(current)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("plans:target", pk=target.pk)
    return _form_page(request, target.unit, form, target, status=status)


@login_required
@require_GET
def target_preview(request, unit_pk):
    """The yearly path of the figures typed so far, for the form's live preview (htmx swaps
    the fragment; `?format=json` gives the same numbers as JSON)."""
    unit = _managed_unit(request, unit_pk)
    instance, held = Target(unit=unit), False
    editing = request.GET.get("target", "")
    if editing.isdigit():  # the edit page: a held figure is not sent, the target's is used
        instance = get_object_or_404(visible_targets(request.user), unit=unit, pk=int(editing))
        held = is_adopted(instance) and not may_rebaseline(request.user, instance)
    form = TargetForm(request.GET, choices=_choices(unit, request), instance=instance,
                      held=held)
    context = preview_context(form)
    preview = context["preview"]
    if request.GET.get("format") == "json":
        return JsonResponse({
            "path": [{"year": row["year"], "expected": str(row["expected"]),
                      "expected_high": None if row["expected_high"] is None
                      else str(row["expected_high"])} for row in preview["rows"]],
            "errors": [{"field": str(label), "message": str(message)}
                       for label, message in preview["errors"]],
        })
    return render(request, "plans/_trajectory_preview.html", context)


def _path_page(request, target, form, status=200):
    context = {"target": target, "form": form, "trail": unit_trail(request.user, target.unit),
               "is_yes_no": target.kind == TargetKind.YES_NO}
    return render(request, "plans/target_path.html", context, status=status)


@login_required
def target_path(request, pk):
    """Draw the target's path by hand, one value a year (`services.draw_trajectory`)."""
    target = _managed_target(request, pk)
    form = TrajectoryForm(request.POST or None, target=target)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.draw_trajectory(actor=request.user, target=target,
                                     expected_version=form.cleaned_data["version"],
                                     points=form.points())
        except ValidationError as error:
            form.add_service_error(error)
            if isinstance(error, StaleEdit):
                status = 409
                form.data = form.data.copy()
                form.data["version"] = Target.objects.get(pk=target.pk).version
        else:
            messages.success(request, _("The path drawn by hand was saved."))
            return redirect("plans:target", pk=target.pk)
    return _path_page(request, target, form, status)


@login_required
@require_POST
def target_path_computed(request, pk):
    """Give up the hand-drawn path: the path follows the target's figures again."""
    target = _managed_target(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    try:
        services.use_computed_trajectory(actor=request.user, target=target,
                                         expected_version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:target_path", pk=target.pk)
    messages.success(request, _("The path is computed from the target's figures again."))
    return redirect("plans:target", pk=target.pk)

