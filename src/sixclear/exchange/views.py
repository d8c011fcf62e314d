from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units

from . import exporting, selectors, services
from .formats import EXPORT_KINDS
from .forms import DecisionImportForm, ImportForm
from .models import ImportKind


def _unit(request, pk, minimum=Role.VIEWER):
    """The unit if the person sees it (else 404) and holds `minimum` there (else 403)."""
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    if not reaches_unit(request.user, unit, minimum):
        raise PermissionDenied
    return unit


def _download(content, content_type, unit, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{name}"'
    return response


@login_required
def export(request, pk, kind, file_format):
    """A unit's targets, measurements or tasks, in the format the import reads back."""
    if kind not in EXPORT_KINDS or file_format not in ("xlsx", "csv"):
        raise Http404
    unit = _unit(request, pk)
    objects = selectors.export_objects(unit, kind)
    name = f"{kind}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        return _download(exporting.write_csv(kind, objects), exporting.CSV_TYPE, unit, name)
    return _download(exporting.write_xlsx(kind, objects), exporting.XLSX_TYPE, unit, name)


@login_required
def template(request, pk, kind):
    if kind not in ImportKind.values:
        raise Http404
    unit = _unit(request, pk)
    return _download(exporting.write_template(kind), exporting.XLSX_TYPE, unit,
                     f"{kind}-template.xlsx")


def _start(request, unit, form, kind, options=None):
    try:
        job = services.start_import(
            actor=request.user, unit=unit, kind=kind, upload=form.cleaned_data["file"],
            check_only=form.cleaned_data["check_only"], options=options)
    except ValidationError as error:
        form.add_error("file", error.messages)
        return None
    return redirect("exchange:job", pk=job.pk)


def _form_page(request, unit, form, template_name):
    context = {"unit": unit, "form": form, "trail": unit_trail(request.user, unit),
               "imports": selectors.recent_imports(unit)}
    return render(request, template_name, context, status=400 if form.errors else 200)


@login_required
def import_file(request, pk):
    """Upload targets, measurements or tasks; a bad file is refused here, the rows are checked
    by the job."""
    unit = _unit(request, pk, Role.MANAGER)
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        done = _start(request, unit, form, form.cleaned_data["kind"])
        if done:
            return done
    return _form_page(request, unit, form, "exchange/import_form.html")


@login_required
def import_decision(request, pk):
    """Create a leadership decision and its tasks from the decision's appendix."""
    unit = _unit(request, pk, Role.MANAGER)
    form = DecisionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = _start(request, unit, form, ImportKind.DECISION, form.options())
        if done:
            return done
    return _form_page(request, unit, form, "exchange/decision_form.html")


@login_required
def import_job(request, pk):
    """An import's progress, then its outcome: every error, or what changed. htmx polls it."""
    job = get_object_or_404(selectors.visible_import_jobs(request.user), pk=pk)
    if not reaches_unit(request.user, job.unit, Role.MANAGER):
        raise PermissionDenied
    phase, percent = services.import_progress(job)
    context = {"job": job, "unit": job.unit, "phase": phase, "percent": percent,
               "trail": unit_trail(request.user, job.unit)}
    if request.headers.get("HX-Request"):
        return render(request, "exchange/_job_status.html", context)
    return render(request, "exchange/job.html", context)
