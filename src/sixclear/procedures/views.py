"""Pages of the procedure register, the cases and their performance. Thin: they fetch through
the selectors (a unit or case the person may not see answers 404), call a service, render."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, require_role, unit_trail, visible_units
from sixclear.tracking.models import TaskState
from sixclear.versioning import StaleEdit

from . import imports, selectors, services, spreadsheets
from .forms import (
    AnalyseForm,
    AuditForm,
    CaseForm,
    CheckForm,
    CloseForm,
    CorrectiveActionForm,
    ExtendForm,
    HandOverForm,
    NonconformityForm,
    ProcedureEditForm,
    ProcedureForm,
    ReportForm,
    ResumeForm,
    ReviewForm,
    ReviewPlanForm,
    StepFormSet,
    SuspendForm,
    UploadForm,
    VersionForm,
    steps_of,
)
from .models import CaseState, CheckResult, NonconformityState, Severity

CASES_PER_PAGE = 50
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _unit(request, pk):
    return get_object_or_404(visible_units(request.user), pk=pk)


def _status(error):
    return 409 if isinstance(error, StaleEdit) else 400


@dataclass
class _Outcome:
    """What a submitted form came to: saved (with what the service returned) or the status to
    show the page again with (200 before any POST)."""

    saved: bool = False
    value: Any = None
    status: int = 200


def _submit(request, form, call, *, done, valid=True, refresh=None):
    """The one path of every edit: on a POST whose `form` (and `valid`, other formsets) checks
    out, write through the service `call(cleaned_data)`; saved, say `done`. A service error is
    shown beside its fields and answers 409 for a stale edit (someone saved first), 400
    otherwise; `refresh`, the record the page shows again, is read back after a refused write.
    """
    if request.method != "POST":
        return _Outcome()
    if not (form.is_valid() and valid):
        return _Outcome(status=400)
    try:
        value = call(form.cleaned_data)
    except ValidationError as error:
        form.add_service_error(error)
        if refresh is not None:
            refresh.refresh_from_db()
        return _Outcome(status=_status(error))
    messages.success(request, done)
    return _Outcome(saved=True, value=value)


# --- The register ----------------------------------------------------------------------------

@login_required
def register(request, pk):
    unit = _unit(request, pk)
    return render(request, "procedures/register.html", {
        "unit": unit, "trail": unit_trail(request.user, unit),
        "procedures": selectors.register(unit),
        "may_edit": reaches_unit(request.user, unit, Role.MANAGER),
        "may_open": reaches_unit(request.user, unit, Role.OFFICER),
    })


@login_required
def procedure_new(request, pk):
    unit = _unit(request, pk)
    require_role(request.user, unit, Role.MANAGER)
    people, targets = selectors.handover_choices(unit), selectors.objective_choices(unit)
    form = ProcedureForm(request.POST or None, people=people, targets=targets)
    steps = StepFormSet(request.POST or None, prefix="steps")
    outcome = _submit(request, form, lambda data: services.create_procedure(
        actor=request.user, unit=unit, steps=steps_of(steps), **data),
        done=_("The procedure is registered."), valid=steps.is_valid())
    if outcome.saved:
        return redirect("procedures:procedure", outcome.value.pk)
    return render(request, "procedures/procedure_form.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "form": form, "steps": steps,
        "title": _("New procedure"),
    }, status=outcome.status)


@login_required
def procedure_detail(request, pk):
    procedure = get_object_or_404(
        selectors.visible_procedures(request.user).select_related("unit", "owner"), pk=pk)
    versions = list(procedure.versions.prefetch_related("steps").order_by("-effective_from"))
    today = timezone.localdate()
    in_force = next((v for v in versions if v.effective_from <= today), None)
    return render(request, "procedures/procedure.html", {
        "procedure": procedure, "unit": procedure.unit,
        "trail": unit_trail(request.user, procedure.unit), "versions": versions,
        "in_force": in_force, "objectives": procedure.objectives.select_related("health"),
        "may_edit": reaches_unit(request.user, procedure.unit, Role.MANAGER),
    })


@login_required
def procedure_edit(request, pk):
    procedure = get_object_or_404(selectors.visible_procedures(request.user), pk=pk)
    require_role(request.user, procedure.unit, Role.MANAGER)
    initial = {"name": procedure.name, "owner": procedure.owner_id,
               "shared_below": procedure.shared_below, "version": procedure.version,
               "objectives": list(procedure.objectives.values_list("pk", flat=True))}
    form = ProcedureEditForm(request.POST or None, initial=initial,
                             people=selectors.handover_choices(procedure.unit),
                             targets=selectors.objective_choices(procedure.unit))
    outcome = _submit(request, form, lambda data: services.update_procedure(
        actor=request.user, procedure=procedure, expected_version=data["version"],
        **{key: value for key, value in data.items() if key != "version"}),
        done=_("The procedure is saved."))
    if outcome.saved:
        return redirect("procedures:procedure", procedure.pk)
    return render(request, "procedures/procedure_form.html", {
        "unit": procedure.unit, "trail": unit_trail(request.user, procedure.unit),
        "form": form, "procedure": procedure,
        "title": _("Edit %(code)s") % {"code": procedure.code},
    }, status=outcome.status)


@login_required
def version_new(request, pk):
    procedure = get_object_or_404(selectors.visible_procedures(request.user), pk=pk)
    require_role(request.user, procedure.unit, Role.MANAGER)
    current = selectors.current_version(procedure)
    initial = [{"name": s.name, "role": s.role, "days": s.days, "records": s.records}
               for s in current.steps.all()] if current else []
    form = VersionForm(request.POST or None)
    steps = StepFormSet(request.POST or None, prefix="steps", initial=initial)
    outcome = _submit(request, form, lambda data: services.add_version(
        actor=request.user, procedure=procedure, steps=steps_of(steps), **data),
        done=_("The new version is registered."), valid=steps.is_valid())
    if outcome.saved:
        return redirect("procedures:procedure", procedure.pk)
    return render(request, "procedures/procedure_form.html", {
        "unit": procedure.unit, "trail": unit_trail(request.user, procedure.unit),
        "form": form, "steps": steps, "procedure": procedure,
        "title": _("New version of %(code)s") % {"code": procedure.code},
    }, status=outcome.status)


def _download(rows, columns, file_format, name):
    if file_format not in CONTENT_TYPES:
        raise Http404(_("There is no such format to download."))
    response = HttpResponse(spreadsheets.write(columns, rows, file_format),
                            content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{file_format}"'
    return response


@login_required
def register_export(request, pk):
    unit = _unit(request, pk)
    return _download(imports.export_procedures(unit), spreadsheets.PROCEDURE_COLUMNS,
                     request.GET.get("format", "xlsx"), f"procedures-{unit.code}")


@login_required
def register_import(request, pk):
    return _import(request, pk, Role.MANAGER, imports.import_procedures,
                   spreadsheets.PROCEDURE_COLUMNS, _("Import procedures"), "procedures:register")


def _import(request, pk, role, importer, columns, title, back):
    unit = _unit(request, pk)
    require_role(request.user, unit, role)
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            outcome = importer(actor=request.user, unit=unit, upload=form.cleaned_data["file"])
            if outcome.applied:
                messages.success(request, _(
                    "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                    % {"created": outcome.created, "updated": outcome.updated,
                       "unchanged": outcome.unchanged})
                return redirect(back, unit.pk)
        status = 400
    labels = {column.key: column.label for column in columns}
    errors = [(row, labels.get(key, key), message)
              for row, key, message in (outcome.errors if outcome else [])]
    return render(request, "procedures/import.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "form": form,
        "errors": errors, "title": title, "columns": columns, "back": back,
    }, status=status)


# --- Cases -----------------------------------------------------------------------------------

@login_required
def case_list(request, pk):
    unit = _unit(request, pk)
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""
    include = request.GET.get("include_sub_units") == "on"
    today = timezone.localdate()
    late = request.GET.get("late") == "on"
    cases = selectors.case_list(unit, include_sub_units=include, state=state,
                                late_on=today if late else None)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "procedures/cases.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "page": page, "state": state,
        "states": CaseState.choices, "include_sub_units": include, "late": late,
        "today": today, "may_open": reaches_unit(request.user, unit, Role.OFFICER),
    })


@login_required
def my_cases(request):
    return render(request, "procedures/my_cases.html", {
        "rows": selectors.steps_in_hand(request.user)[:200], "today": timezone.localdate(),
    })


@login_required
def case_new(request, pk):
    unit = _unit(request, pk)
    require_role(request.user, unit, Role.OFFICER)
    form = CaseForm(request.POST or None, procedures=selectors.procedures_for_unit(unit),
                    people=selectors.handover_choices(unit),
                    initial={"opened_on": timezone.localdate()})
    outcome = _submit(request, form, lambda data: services.open_case(
        actor=request.user, unit=unit, **data), done=_("The case is open."))
    if outcome.saved:
        return redirect("procedures:case", outcome.value.pk)
    return render(request, "procedures/case_form.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "form": form,
    }, status=outcome.status)


def _visible_case(request, pk):
    return get_object_or_404(
        selectors.visible_cases(request.user)
        .select_related("unit", "procedure_version__procedure"), pk=pk)


def _case_page(request, case, forms=None, status=200):
    step = selectors.active_step(case)
    steps = selectors.case_steps(case)
    following = [s for s in steps if step and s.position == step.position + 1]
    next_role = following[0].step.role if following else Role.VIEWER
    initial = {"version": case.version}
    forms = forms or {}
    return render(request, "procedures/case.html", {
        "case": case, "unit": case.unit, "trail": unit_trail(request.user, case.unit),
        "steps": steps, "step": step, "last_step": step is not None and not following,
        "actions": selectors.case_actions(request.user, case, step),
        "log": selectors.case_log(case), "clock": case.clock_changes.select_related("by"),
        "today": timezone.localdate(),
        "hand_over_form": forms.get("hand_over") or HandOverForm(
            initial=initial, people=selectors.handover_choices(case.unit, next_role)),
        "suspend_form": forms.get("suspend") or SuspendForm(initial=initial),
        "resume_form": forms.get("resume") or ResumeForm(initial=initial),
        "extend_form": forms.get("extend") or ExtendForm(initial=initial),
    }, status=status)


@login_required
def case_detail(request, pk):
    return _case_page(request, _visible_case(request, pk))


@login_required
@require_POST
def case_action(request, pk, action):
    case = _visible_case(request, pk)
    step = selectors.active_step(case)
    if action == "hand_over":
        following = case.steps.filter(position=(step.position + 1) if step else 0) \
            .select_related("step").first()
        form = HandOverForm(request.POST, people=selectors.handover_choices(
            case.unit, following.step.role if following else Role.VIEWER))
        call = lambda data: services.hand_over(  # noqa: E731
            actor=request.user, case=case, expected_version=data["version"], to=data["to"],
            note=data["note"])
        done = _("The step is handed over.")
    elif action == "suspend":
        form = SuspendForm(request.POST)
        call = lambda data: services.suspend_case(  # noqa: E731
            actor=request.user, case=case, expected_version=data["version"],
            reason=data["reason"])
        done = _("The clock is stopped.")
    elif action == "resume":
        form = ResumeForm(request.POST)
        call = lambda data: services.resume_case(  # noqa: E731
            actor=request.user, case=case, expected_version=data["version"])
        done = _("The clock runs again; the deadlines ahead moved by the days suspended.")
    elif action == "extend":
        form = ExtendForm(request.POST)
        call = lambda data: services.extend_case(  # noqa: E731
            actor=request.user, case=case, expected_version=data["version"],
            reason=data["reason"], days=data["days"])
        done = _("The case has more time.")
    else:
        raise Http404
    outcome = _submit(request, form, call, done=done, refresh=case)
    if outcome.saved:
        return redirect("procedures:case", case.pk)
    return _case_page(request, case, {action: form}, status=outcome.status)


@login_required
def cases_export(request, pk):
    unit = _unit(request, pk)
    return _download(imports.export_cases(unit), spreadsheets.CASE_COLUMNS,
                     request.GET.get("format", "xlsx"), f"cases-{unit.code}")


@login_required
def cases_import(request, pk):
    return _import(request, pk, Role.OFFICER, imports.import_cases, spreadsheets.CASE_COLUMNS,
                   _("Import cases"), "procedures:cases")


# --- Performance -----------------------------------------------------------------------------

@login_required
def performance(request, pk):
    unit = _unit(request, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    return render(request, "procedures/performance.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "year": year,
        "years": range(today.year, max(today.year - 5, 1999), -1),
        "figures": selectors.performance(unit, year),
        "stuck": selectors.stuck_cases(unit, today),
        "counts": selectors.open_counts(unit, today), "today": today,
        "month_names": {month: datetime.date(year, month, 1) for month in range(1, 13)},
    })


@login_required
def evaluation(request, pk):
    unit = _unit(request, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    if request.GET.get("format") in ("docx", "pdf"):
        # The document is issued by the reports app (in the issuer's format, signed there).
        return redirect("reports:procedure_evaluation_file", unit.pk, year,
                        request.GET["format"])
    found = selectors.yearly_evaluation(unit, year, today)
    review = unit.management_reviews.filter(year=year).first()
    return render(request, "procedures/evaluation.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "year": year,
        "years": range(today.year, max(today.year - 5, 1999), -1), "evaluation": found,
        "rows": [(procedure, cases, steps, found.objectives.get(procedure.pk, []))
                 for procedure, cases, steps in found.by_procedure],
        "stages": [(label, found.nonconformities.get(value, 0))
                   for value, label in NonconformityState.choices],
        "severities": [(label, found.by_severity.get(value, 0))
                       for value, label in Severity.choices],
        "task_states": [(label, found.actions.get(value, 0))
                        for value, label in TaskState.choices if value != TaskState.CANCELLED],
        "audits": [(item.audit, [(label, item.results.get(value, 0))
                                 for value, label in CheckResult.choices],
                    item.results.get("", 0)) for item in found.audits],
        "review": review,
        "may_propose": reaches_unit(request.user, unit, Role.MANAGER),
    })


@login_required
@require_POST
def review_propose(request, pk):
    unit = _unit(request, pk)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError as error:
        raise Http404 from error
    review = services.propose_review(actor=request.user, unit=unit, year=year)
    return redirect("procedures:review", review.pk)


def _visible_review(request, pk):
    return get_object_or_404(selectors.visible_reviews(request.user).select_related(
        "unit", "approved_by"), pk=pk)


@login_required
def review(request, pk):
    found = _visible_review(request, pk)
    form = ReviewForm(request.POST or None, initial={
        "held_on": found.held_on, "decisions": found.decisions, "version": found.version})

    def call(data):
        if request.POST.get("action") == "approve":
            return services.approve_review(actor=request.user, review=found,
                                           expected_version=data["version"])
        return services.update_review(actor=request.user, review=found,
                                      expected_version=data["version"],
                                      held_on=data["held_on"], decisions=data["decisions"])

    outcome = _submit(request, form, call, done=_("Saved."), refresh=found)
    if outcome.saved:
        return redirect("procedures:review", found.pk)
    return render(request, "procedures/review.html", {
        "item": found, "unit": found.unit, "trail": unit_trail(request.user, found.unit),
        "form": form,
        "may_edit": reaches_unit(request.user, found.unit, Role.MANAGER)
        and can_proceed(found.edit),
        "may_approve": reaches_unit(request.user, found.unit, Role.LEADER)
        and can_proceed(found.approve),
    }, status=outcome.status)


# --- Nonconformities and corrective actions --------------------------------------------------

@login_required
def nonconformities(request, pk):
    unit = _unit(request, pk)
    may_raise = reaches_unit(request.user, unit, Role.OFFICER)
    form = NonconformityForm(request.POST or None,
                             procedures=selectors.procedures_for_unit(unit),
                             cases=unit.cases.all(), initial={"case": request.GET.get("case")})
    if request.method == "POST":
        require_role(request.user, unit, Role.OFFICER)
    outcome = _submit(request, form, lambda data: services.raise_nonconformity(
        actor=request.user, unit=unit, **data), done=_("The nonconformity is recorded."))
    if outcome.saved:
        return redirect("procedures:nonconformity", outcome.value.pk)
    return render(request, "procedures/nonconformities.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "form": form,
        "may_raise": may_raise, "items": selectors.unit_nonconformities(unit)[:200],
        "audits": selectors.unit_audits(unit)[:50],
        "may_plan": reaches_unit(request.user, unit, Role.MANAGER),
    }, status=outcome.status)


def _nonconformity_page(request, item, forms=None, status=200):
    forms = forms or {}
    initial = {"version": item.version}
    return render(request, "procedures/nonconformity.html", {
        "item": item, "unit": item.unit, "trail": unit_trail(request.user, item.unit),
        "actions": selectors.nonconformity_actions(request.user, item),
        "corrective": item.actions.select_related("task", "task__owner"),
        "log": selectors.nonconformity_log(item),
        "analyse_form": forms.get("analyse") or AnalyseForm(initial={
            **initial, "root_cause": item.root_cause, "severity": item.severity}),
        "action_form": forms.get("add_action") or CorrectiveActionForm(
            people=selectors.handover_choices(item.unit)),
        "submit_form": forms.get("submit") or ResumeForm(initial=initial),
        "review_form": forms.get("review") or ReviewPlanForm(initial=initial),
        "close_form": forms.get("close") or CloseForm(initial=initial),
    }, status=status)


def _visible_nonconformity(request, pk):
    return get_object_or_404(selectors.visible_nonconformities(request.user)
                             .select_related("unit", "procedure", "case"), pk=pk)


@login_required
def nonconformity(request, pk):
    return _nonconformity_page(request, _visible_nonconformity(request, pk))


@login_required
@require_POST
def nonconformity_action(request, pk, action):
    item = _visible_nonconformity(request, pk)
    if action == "analyse":
        form = AnalyseForm(request.POST)
        call = lambda data: services.analyse_nonconformity(  # noqa: E731
            actor=request.user, nonconformity=item, expected_version=data["version"],
            root_cause=data["root_cause"], severity=data["severity"])
    elif action == "add_action":
        form = CorrectiveActionForm(request.POST, people=selectors.handover_choices(item.unit))
        call = lambda data: services.add_corrective_action(  # noqa: E731
            actor=request.user, nonconformity=item, **data)
    elif action == "submit":
        form = ResumeForm(request.POST)
        call = lambda data: services.submit_plan(  # noqa: E731
            actor=request.user, nonconformity=item, expected_version=data["version"])
    elif action == "review":
        form = ReviewPlanForm(request.POST)
        call = lambda data: services.review_plan(  # noqa: E731
            actor=request.user, nonconformity=item, expected_version=data["version"],
            approve=data["decision"] == "approve", comment=data["comment"])
    elif action == "close":
        form = CloseForm(request.POST)
        call = lambda data: services.close_nonconformity(  # noqa: E731
            actor=request.user, nonconformity=item, expected_version=data["version"],
            effectiveness=data["effectiveness"])
    else:
        raise Http404
    outcome = _submit(request, form, call, done=_("Saved."), refresh=item)
    if outcome.saved:
        return redirect("procedures:nonconformity", item.pk)
    return _nonconformity_page(request, item, {action: form}, status=outcome.status)


# --- Internal audits ---------------------------------------------------------------------------

@login_required
def audit_new(request, pk):
    unit = _unit(request, pk)
    require_role(request.user, unit, Role.MANAGER)
    form = AuditForm(request.POST or None, people=selectors.handover_choices(unit),
                     procedures=selectors.procedures_for_unit(unit))
    outcome = _submit(request, form, lambda data: services.plan_audit(
        actor=request.user, unit=unit, year=data["planned_on"].year, checks=data["checklist"],
        **{key: value for key, value in data.items() if key != "checklist"}),
        done=_("The audit is planned."))
    if outcome.saved:
        return redirect("procedures:audit", outcome.value.pk)
    return render(request, "procedures/audit_form.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "form": form},
        status=outcome.status)


def _audit_page(request, audit, forms=None, status=200):
    forms = forms or {}
    may_check = (request.user.pk == audit.auditor_id
                 or reaches_unit(request.user, audit.unit, Role.MANAGER))
    checks = list(audit.checks.select_related("procedure", "nonconformity"))
    return render(request, "procedures/audit.html", {
        "audit": audit, "unit": audit.unit, "trail": unit_trail(request.user, audit.unit),
        "rows": [(check, forms.get(check.pk) or CheckForm(
            prefix=f"check-{check.pk}", initial={"result": check.result, "note": check.note}))
            for check in checks],
        "may_check": may_check and can_proceed(audit.record),
        "may_report": may_check and can_proceed(audit.report),
        "report_form": forms.get("report") or ReportForm(initial={"version": audit.version}),
    }, status=status)


def _visible_audit(request, pk):
    return get_object_or_404(selectors.visible_audits(request.user)
                             .select_related("unit", "auditor"), pk=pk)


@login_required
def audit(request, pk):
    return _audit_page(request, _visible_audit(request, pk))


@login_required
@require_POST
def audit_check(request, pk, check):
    found = _visible_audit(request, pk)
    item = get_object_or_404(found.checks, pk=check)
    form = CheckForm(request.POST, prefix=f"check-{item.pk}")
    outcome = _submit(request, form, lambda data: services.record_check(
        actor=request.user, check=item, **data), done=_("Saved."))
    if outcome.saved:
        return redirect("procedures:audit", found.pk)
    return _audit_page(request, found, {item.pk: form}, status=outcome.status)


@login_required
@require_POST
def audit_report(request, pk):
    found = _visible_audit(request, pk)
    form = ReportForm(request.POST)
    outcome = _submit(request, form, lambda data: services.report_audit(
        actor=request.user, audit=found, expected_version=data["version"],
        conclusion=data["conclusion"]), done=_("The audit is reported."), refresh=found)
    if outcome.saved:
        return redirect("procedures:audit", found.pk)
    return _audit_page(request, found, {"report": form}, status=outcome.status)
