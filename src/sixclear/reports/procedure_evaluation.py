"""The yearly evaluation of a unit's quality management system (TCVN ISO 9001:2015, clause 9)
as an issued report: DOCX and PDF in the issuer's format, signed (PAdES) by the unit's
designated signer, its signed copies listed and verified.

Procedures sit below this app: `procedures.selectors.yearly_evaluations` compiles what they
record (each procedure's performance beside its quality objectives, the late steps, internal
audits, nonconformities and corrective actions, the risks still open), and the year's
management review; citizens' satisfaction is read through the evaluation app's measure
registry (the portal registers it), so this module knows neither the portal nor its ratings.
Everything is compiled for any number of units at once (`evaluation_contents`), the way the
end of a year compiles every unit's; a page or a signature compiles one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.evaluation import measures
from sixclear.numbers import NumberFormatter, NumberKind
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import unit_trail, visible_units
from sixclear.procedures.models import (
    CheckResult,
    ManagementReview,
    NonconformityState,
    Severity,
)
from sixclear.procedures.selectors import Evaluation, Rate, yearly_evaluations
from sixclear.versioning import StaleEdit

from . import selectors, signing
from .forms import VerifyForm
from .issued import (
    DocumentKind,
    DocumentTable,
    IssuedContent,
    issued_for,
    may_sign_issued,
    render_docx,
    render_pdf,
    sign_issued,
)
from .models import SigningCapacity

SATISFACTION = "citizen_satisfaction"  # the portal's measure, when it is installed
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def subject_of(unit: Unit, year: int) -> str:
    """What the signed copies are about: a unit's year (there is no row of its own)."""
    return f"procedures.evaluation:{unit.pk}/{year}"


# --- The content -----------------------------------------------------------------------------

class _Figures:
    """Numbers and dates as the reader of the document's language reads them, the language's
    marks read once and each count and date written once: a year-end compilation writes some
    hundred thousand of them."""

    def __init__(self) -> None:
        self.number = NumberFormatter()
        self.days: dict[datetime.date, str] = {}
        self.counts: dict[int, str] = {}

    def count(self, value: int) -> str:
        if value not in self.counts:
            self.counts[value] = self.number(value, NumberKind.COUNT)
        return self.counts[value]

    def percent(self, part: int, whole: int) -> str:
        return f"{self.number(100 * part / whole, NumberKind.PERCENT)} %" if whole else "—"

    def rate(self, rate: Rate) -> str:
        return self.percent(rate.on_time, rate.done)

    def day(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        if value not in self.days:
            self.days[value] = date_format(value, "SHORT_DATE_FORMAT")
        return self.days[value]


def _performance(found: Evaluation, fig: _Figures) -> list[str]:
    if not found.cases.done and not found.steps.done:
        lines = [_("No case was closed and no step handed over in the year.")]
    else:
        lines = [_("%(cases)s cases were closed, %(on_time)s of them by their due date "
                   "(%(percent)s); %(steps)s steps were handed over, %(steps_on_time)s of them "
                   "within their time limit (%(steps_percent)s). Appendix 1 gives each "
                   "procedure beside the quality objectives it serves.") % {
            "cases": fig.count(found.cases.done), "on_time": fig.count(found.cases.on_time),
            "percent": fig.rate(found.cases), "steps": fig.count(found.steps.done),
            "steps_on_time": fig.count(found.steps.on_time),
            "steps_percent": fig.rate(found.steps)}]
    if found.late_step_count:
        lines.append(_("%(count)s steps were handed over after their due date, or are still "
                       "in hand past it; Appendix 2 names the first %(shown)s by due date.") % {
            "count": fig.count(found.late_step_count), "shown": fig.count(len(found.late_steps))})
    else:
        lines.append(_("No step ran late in the year."))
    return lines


def _satisfaction(figure: measures.Figure | None, fig: _Figures) -> str:
    if figure is None or not figure.denominator:
        return _("Citizens' satisfaction was not measured in the year: no citizen rated the "
                 "unit's published results.")
    return _("Of the %(count)s ratings citizens gave in the year to the unit's published "
             "results, %(satisfied)s were 4 or 5 out of 5 (%(percent)s).") % {
        "count": fig.count(figure.denominator), "satisfied": fig.count(figure.numerator),
        "percent": fig.percent(figure.numerator, figure.denominator)}


def _audits(found: Evaluation, fig: _Figures) -> list[str]:
    if not found.audits:
        return [_("No internal audit was planned for the year.")]
    lines = []
    for item in found.audits:
        audit = item.audit
        lines.append(_("%(title)s (%(unit)s, %(day)s; %(state)s): %(conforms)s items conform, "
                       "%(observations)s observations, %(nonconforms)s do not conform, "
                       "%(unchecked)s not checked yet. Conclusion: %(conclusion)s") % {
            "title": audit.title, "unit": audit.unit.name, "day": fig.day(audit.planned_on),
            "state": audit.get_state_display(),
            "conforms": fig.count(item.results.get(CheckResult.CONFORMS, 0)),
            "observations": fig.count(item.results.get(CheckResult.OBSERVATION, 0)),
            "nonconforms": fig.count(item.results.get(CheckResult.NONCONFORMS, 0)),
            "unchecked": fig.count(item.results.get("", 0)),
            "conclusion": audit.conclusion or "—"})
    return lines


def _nonconformities(found: Evaluation, fig: _Figures) -> list[str]:
    raised = sum(found.nonconformities.values())
    actions = sum(count for state, count in found.actions.items() if state != "late")
    return [
        _("%(count)s nonconformities were raised in the year (%(major)s major, %(minor)s "
          "minor); %(closed)s of them are closed.") % {
            "count": fig.count(raised),
            "major": fig.count(found.by_severity.get(Severity.MAJOR, 0)),
            "minor": fig.count(found.by_severity.get(Severity.MINOR, 0)),
            "closed": fig.count(found.nonconformities.get(NonconformityState.CLOSED, 0))},
        _("Their corrective actions (six-clears tasks): %(count)s, of them %(done)s done and "
          "%(late)s late.") % {"count": fig.count(actions),
                               "done": fig.count(found.actions.get("done", 0)),
                               "late": fig.count(found.actions.get("late", 0))},
    ]


def _risks(found: Evaluation, fig: _Figures) -> str:
    risks = found.risks
    objectives = "; ".join(f"{target.code} {target.name}"
                           for target in risks.objectives_off_path) or "—"
    return _("As of %(day)s: %(stuck)s steps in hand past their due date; %(open)s "
             "nonconformities open (%(major)s major); %(late)s corrective actions late; quality "
             "objectives behind or off their path: %(objectives)s.") % {
        "day": fig.day(found.as_of), "stuck": fig.count(risks.stuck_steps),
        "open": fig.count(risks.open_nonconformities), "major": fig.count(risks.open_major),
        "late": fig.count(risks.late_actions), "objectives": objectives}


def _review(review: ManagementReview | None, fig: _Figures) -> list[str]:
    if review is None:
        return [_("The management review of the year is not recorded yet; the findings above "
                  "are proposed as its inputs.")]
    lines = [_("The management review of the year (%(state)s), held on %(day)s.") % {
        "state": review.get_state_display(), "day": fig.day(review.held_on) or "—"}]
    lines += [_("Its inputs:"), *[line for line in review.inputs.splitlines() if line.strip()]]
    lines += [_("Its decisions and actions:"), review.decisions or "—"]
    return lines


def _objectives(found: Evaluation, procedure_pk: int) -> str:
    names = []
    for target in found.objectives.get(procedure_pk, []):
        health = getattr(target, "health", None)
        names.append(f"{target.code} ({health.get_status_display()})" if health
                     else target.code)
    return "; ".join(names) or "—"


def _tables(found: Evaluation, fig: _Figures) -> list[DocumentTable]:
    performance = DocumentTable(
        caption=_("Appendix 1: performance of each procedure against its objectives"),
        columns=[_("Procedure"), _("Cases closed"), _("On time"), _("Steps handed over"),
                 _("Steps on time"), _("Quality objectives")],
        rows=[[f"{procedure.code} {procedure.name}", fig.count(cases.done), fig.rate(cases),
               fig.count(steps.done), fig.rate(steps), _objectives(found, procedure.pk)]
              for procedure, cases, steps in found.by_procedure],
        wide=True, empty_text=_("No case was closed in the year."))
    late = DocumentTable(
        caption=_("Appendix 2: steps late"),
        columns=[_("Case"), _("Unit"), _("Step"), _("Due date"), _("Handed over on")],
        rows=[[f"{step.reference} {step.subject}", step.unit_name,
               f"{step.procedure_code} · {step.position}. {step.step_name}",
               fig.day(step.due_date), fig.day(step.done_on) or _("still in hand")]
              for step in found.late_steps],
        wide=True, empty_text=_("No step ran late in the year."))
    return [performance, late]


def _content(unit: Unit, year: int, found: Evaluation, satisfaction: measures.Figure | None,
             review: ManagementReview | None, language: str, fig: _Figures) -> IssuedContent:
    paragraphs = [
        _("Under TCVN ISO 9001:2015 (clause 9), %(unit)s reports the monitoring, measurement, "
          "analysis and evaluation of its quality management system in %(year)s, compiled "
          "from the cases, internal audits and nonconformities recorded as of %(day)s.") % {
            "unit": unit.name, "year": year, "day": fig.day(found.as_of)},
        "## " + _("I. Performance of the procedures against their quality objectives"),
        *_performance(found, fig),
        "## " + _("II. Citizens' satisfaction"), _satisfaction(satisfaction, fig),
        "## " + _("III. Internal audits"), *_audits(found, fig),
        "## " + _("IV. Nonconformities and corrective actions"), *_nonconformities(found, fig),
        "## " + _("V. Risks still open"), _risks(found, fig),
        "## " + _("VI. The management review"), *_review(review, fig),
    ]
    return IssuedContent(
        unit=unit, kind=DocumentKind.PROCEDURE_EVALUATION, subject=subject_of(unit, year),
        language=language, document_type=_("Report"),
        summary=_("Evaluation of the quality management system under TCVN ISO 9001:2015 in "
                  "%(year)s") % {"year": year},
        number_code="BC", paragraphs=paragraphs, tables=_tables(found, fig))


def evaluation_contents(units: list[Unit], year: int, *, language: str,
                        today: datetime.date | None = None) -> dict[int, IssuedContent]:
    """Each unit's yearly evaluation report, written in `language`, for any number of units
    in a fixed number of queries: the procedures' compilation, one call of the satisfaction
    measure for every unit, and one read of the year's management reviews."""
    today = today or timezone.localdate()
    with translation.override(language):
        found = yearly_evaluations(units, year, today)
        measure = measures.get(SATISFACTION)
        satisfaction: dict[str, measures.Figure] = {}
        if measure is not None and units:
            subjects = [measures.SubjectRef(key=str(unit.pk), unit_path=unit.path)
                        for unit in units]
            satisfaction = measure.compute(subjects, year,
                                           min(today, datetime.date(year, 12, 31)), {})
        reviews = {review.unit_id: review for review in
                   ManagementReview.objects.filter(unit__in=units, year=year)}
        figures = _Figures()
        return {unit.pk: _content(unit, year, found[unit.pk], satisfaction.get(str(unit.pk)),
                                  reviews.get(unit.pk), language, figures) for unit in units}


def evaluation_content(unit: Unit, year: int, *, language: str,
                       today: datetime.date | None = None,
                       capacity: str = SigningCapacity.PRINCIPAL) -> IssuedContent:
    content = evaluation_contents([unit], year, language=language, today=today)[unit.pk]
    content.capacity = capacity
    return content


# --- The pages -------------------------------------------------------------------------------

def _unit_year(request: Any, pk: int, year: int) -> Unit:
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return unit


def _capacity(user: Any, content: IssuedContent) -> str | None:
    """The capacity `user` would sign the document in: as the designated signer, or as the
    deputy signing for them; None when they do not sign it."""
    for capacity in (SigningCapacity.PRINCIPAL, SigningCapacity.DEPUTY):
        content.capacity = capacity
        if may_sign_issued(user, content):
            return capacity
    content.capacity = SigningCapacity.PRINCIPAL
    return None


def _page(request: Any, unit: Unit, year: int, content: IssuedContent | None = None,
          status: int = 200) -> HttpResponse:
    content = content or evaluation_content(unit, year,
                                            language=translation.get_language())
    capacity = _capacity(request.user, content)
    return render(request, "reports/procedure_evaluation.html", {
        "unit": unit, "trail": unit_trail(request.user, unit), "year": year,
        "content": content, "body": [(text.startswith("## "), text.removeprefix("## "))
                                     for text in content.paragraphs],
        "tables": [(table, [list(zip(table.columns, row, strict=True)) for row in table.rows])
                   for table in content.tables],
        "signed": issued_for(content.subject, DocumentKind.PROCEDURE_EVALUATION),
        "capacity": capacity, "printed_signer": selectors.signature_block(
            selectors.designated_signer(unit)).name,
    }, status=status)


@login_required
def document(request: Any, pk: int, year: int) -> HttpResponse:
    """The report as it would be issued today: its text, downloads, signing, signed copies."""
    return _page(request, _unit_year(request, pk, year), year)


@login_required
def document_file(request: Any, pk: int, year: int, format: str) -> HttpResponse:
    unit = _unit_year(request, pk, year)
    if format not in CONTENT_TYPES:
        raise Http404
    content = evaluation_content(unit, year, language=translation.get_language())
    data = render_docx(content) if format == "docx" else render_pdf(content)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{slugify(unit.code)}-{year}.{format}"')
    return response


@login_required
@require_POST
def sign(request: Any, pk: int, year: int) -> HttpResponse:
    """The designated signer (or the deputy signing for them) signs the report as it stands;
    anyone else is refused (403). A new signature supersedes the current copy."""
    unit = _unit_year(request, pk, year)
    content = evaluation_content(unit, year, language=translation.get_language())
    content.capacity = _capacity(request.user, content) or SigningCapacity.PRINCIPAL
    try:
        sign_issued(actor=request.user, content=content)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _page(request, unit, year, content,
                     status=409 if isinstance(error, StaleEdit) else 400)
    messages.success(request, _("The evaluation report is signed."))
    return redirect("reports:procedure_evaluation", unit.pk, year)


@login_required
def verify_copy(request: Any, pk: int, year: int, document: int) -> HttpResponse:
    """Check a stored signed copy's signature: who signed, when, intact, trusted."""
    unit = _unit_year(request, pk, year)
    stored = get_object_or_404(issued_for(subject_of(unit, year),
                                          DocumentKind.PROCEDURE_EVALUATION), pk=document)
    try:
        with stored.file.open("rb") as stream:
            data = stream.read()
    except FileNotFoundError as missing:
        raise Http404 from missing
    return render(request, "reports/verify.html", {
        "form": VerifyForm(), "result": signing.verify_pdf(data), "stored": stored})
