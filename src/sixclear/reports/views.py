"""Thin views: fetch through a scoped selector (404 outside one's units), call a service,
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.versioning import StaleEdit

from . import selectors, services, signing, writers
from .forms import NarrativeForm, ReportRequestForm, ScheduleForm, SignerForm, VerifyForm

PER_PAGE = 25


def _signer_form(unit, data=None):
    designation = selectors.designated_signer(unit)
    return SignerForm(data, people=selectors.signer_choices(unit), initial={
        "issuing_body": designation.issuing_body, "signer": designation.signer_id,
        "signer_title": designation.signer_title, "deputy": designation.deputy_id,
        "deputy_title": designation.deputy_title,
        "version": designation.version if designation.pk else None})


def _unit_page(request, unit, form=None, schedule_form=None, failed_schedule=None,
               signer_form=None):
    reports = selectors.unit_reports(request.user, unit)
    schedules = list(selectors.visible_schedules(request.user).filter(unit=unit))
    for schedule in schedules:
        schedule.form = (failed_schedule[1] if failed_schedule and failed_schedule[0] ==
                         schedule.pk else ScheduleForm(prefix=f"s{schedule.pk}", initial={
                             "period_kind": schedule.period_kind, "format": schedule.format,
                             "day_of_month": schedule.day_of_month,
                             "language": schedule.language, "is_active": schedule.is_active,
                             "version": schedule.version}))
    language = translation.get_language()
    context = {
        "unit": unit, "trail": unit_trail(request.user, unit)[:-1],
        "page": Paginator(reports, PER_PAGE).get_page(request.GET.get("page")),
        "schedules": schedules,
        "signed": selectors.unit_signed_documents(request.user, unit)[:5],
        "can_generate": reaches_unit(request.user, unit, Role.MANAGER),
        "form": form or ReportRequestForm(language=language),
        "schedule_form": schedule_form or ScheduleForm(prefix="new",
                                                       initial={"language": language}),
        "designation": selectors.designated_signer(unit),
        "signer_form": signer_form or _signer_form(unit),
    }
    return render(request, "reports/unit_reports.html", context,
                  status=400 if (form or schedule_form or failed_schedule or signer_form)
                  else 200)


@login_required
@require_POST
def designate_signer(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    form = _signer_form(unit, request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.designate_signer(actor=request.user, unit=unit,
                                      version=form.cleaned_data["version"], **data)
        except ValidationError as error:  # a stale edit too
            form.add_service_error(error)
        else:
            messages.success(request, _("The signer was designated."))
            return redirect("reports:unit_reports", pk=unit.pk)
    return _unit_page(request, unit, signer_form=form)


@login_required
def unit_reports(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    return _unit_page(request, unit)


@login_required
@require_POST
def request_report(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    form = ReportRequestForm(request.POST)
    if form.is_valid():
        try:
            report = services.request_report(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The report is being generated."))
            return redirect("reports:report", pk=report.pk)
    return _unit_page(request, unit, form=form)


@login_required
@require_POST
def create_schedule(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    form = ScheduleForm(request.POST, prefix="new")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.save_schedule(actor=request.user, unit=unit, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The schedule was saved."))
            return redirect("reports:unit_reports", pk=unit.pk)
    return _unit_page(request, unit, schedule_form=form)


@login_required
@require_POST
def edit_schedule(request, pk):
    schedule = get_object_or_404(selectors.visible_schedules(request.user), pk=pk)
    form = ScheduleForm(request.POST, prefix=f"s{schedule.pk}")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if request.POST.get("delete"):
                services.delete_schedule(actor=request.user, schedule=schedule,
                                         version=form.cleaned_data["version"])
                messages.success(request, _("The schedule was removed."))
            else:
                services.save_schedule(actor=request.user, unit=schedule.unit,
                                       schedule=schedule,
                                       version=form.cleaned_data["version"], **data)
                messages.success(request, _("The schedule was saved."))
        except StaleEdit as stale:
            form.add_service_error(stale)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("reports:unit_reports", pk=schedule.unit.pk)
    return _unit_page(request, schedule.unit, failed_schedule=(schedule.pk, form))


def _report_context(request, report, narrative_form=None):
    narrative = selectors.narrative_of(report)
    signatures = list(report.signed_documents.select_related("supersedes", "signer")
                      .order_by("-signed_at", "-pk"))
    can_edit = (narrative is not None and not signatures and report.is_finished
                and reaches_unit(request.user, report.unit, Role.MANAGER))
    if can_edit and narrative_form is None:
        narrative_form = NarrativeForm(initial={
            "results": narrative.results, "shortcomings": narrative.shortcomings,
            "next_tasks": narrative.next_tasks, "capacity": narrative.capacity,
            "version": narrative.version})
    return {
        "report": report, "unit": report.unit, "trail": unit_trail(request.user, report.unit),
        "signatures": signatures, "narrative": narrative,
        "narrative_form": narrative_form if can_edit else None,
        "printed_signer": (report.parameters or {}).get("signer_name", ""),
        "can_sign": (report.format == "pdf" and report.status == "done"
                     and services.may_sign(request.user, report)),
    }


@login_required
@require_POST
def edit_narrative(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.edit_narrative(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:  # a stale edit or a signed report too
            form.add_service_error(error)
        else:
            messages.success(request, _("The report's text was saved; the file is being "
                                        "generated again."))
            return redirect("reports:report", pk=report.pk)
    context = _report_context(request, report, narrative_form=form)
    context["narrative_form"] = form
    return render(request, "reports/report_detail.html", context, status=400)


@login_required
def report_detail(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    return render(request, "reports/report_detail.html", _report_context(request, report))


@login_required
def report_progress(request, pk):
    """The progress part alone, which the page polls every two seconds with htmx."""
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    return render(request, "reports/_progress.html", {"report": report})


@login_required
def report_file(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    if not report.file:
        raise Http404
    try:
        stream = report.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(stream, as_attachment=True, filename=report.download_name,
                        content_type=writers.CONTENT_TYPES[report.format])


@login_required
@require_POST
def sign_report(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    try:
        services.sign_report(actor=request.user, report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        context = _report_context(request, report)
        return render(request, "reports/report_detail.html", context, status=400)
    messages.success(request, _("The report was signed."))
    return redirect("reports:report", pk=report.pk)


@login_required
def unit_signed(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    documents = selectors.unit_signed_documents(request.user, unit).select_related("signer")
    return render(request, "reports/signed_list.html", {
        "unit": unit, "trail": unit_trail(request.user, unit)[:-1],
        "page": Paginator(documents, PER_PAGE).get_page(request.GET.get("page")),
    })


@login_required
def signed_file(request, pk):
    document = get_object_or_404(selectors.visible_signed_documents(request.user), pk=pk)
    try:
        stream = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(stream, as_attachment=True, content_type="application/pdf",
                        filename=f"signed-{document.unit.code}-{document.pk}.pdf")


@login_required
def verify(request):
    """Upload a signed PDF; say who signed, when, whether it changed, whether it is trusted."""
    result = stored = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["document"].read()
        result = signing.verify_pdf(data)
        stored = selectors.stored_signed_copy(request.user, data)
    return render(request, "reports/verify.html", {"form": form, "result": result,
                                                    "stored": stored},
                  status=400 if form.errors else 200)


@login_required
def decision_appendix(request, pk, format):
    program = get_object_or_404(selectors.visible_decisions(request.user), pk=pk)
    appendix = selectors.decision_appendix(request.user, program)
    write = writers.appendix_pdf if format == "pdf" else writers.appendix_docx
    data = write(appendix)
    response = HttpResponse(data, content_type=writers.CONTENT_TYPES[format])
    safe_number = "".join(c if c.isascii() and c.isalnum() else "-" for c in program.number)
    response["Content-Disposition"] = f'attachment; filename="appendix-{safe_number}.{format}"'
    return response
