"""The minutes of an evaluation round's review and the decision on its grades, issued by the
deciding unit in its format (party or people's committee) through the issued-documents kit.

- The **minutes** (biên bản) exist once every subject is decided (the review has taken place):
  who reviewed, each subject's points by the rules and as counted, every adjustment with its
  reason, the disqualifiers and caps applied with their citations, the replies. Signed before
  the round closes they say the grades are provisional; signing again supersedes them.
- The **decision** (quyết định) exists once the round is closed (grades and ranks final): its
  articles, Appendix I (subject, points, grade, rank) and, for collectives, Appendix II (the
  proposals for emulation titles still standing, `evaluation.titles`).

Both are read by managers and above of the deciding unit and by the round's subjects
(`evaluation.selectors.round_for_documents`); anyone else gets 404. Only the deciding unit's
designated signer (or its deputy) signs them (`issued.sign_issued`).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from sixclear.evaluation import selectors as evaluation
from sixclear.evaluation.models import Grade, Level, Round, RoundStatus
from sixclear.evaluation.services import title_rules
from sixclear.evaluation.titles import title_label
from sixclear.numbers import NumberKind, format_number

from . import signing
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
from .selectors import long_date, person_name

KINDS = {"minutes": DocumentKind.EVALUATION_MINUTES, "decision": DocumentKind.EVALUATION_DECISION}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def subject_key(round_: Round) -> str:
    return f"evaluation.round:{round_.pk}"


def available(round_: Round, kind: str) -> bool:
    """The minutes once the review is over (every subject decided); the decision once the
    round is closed."""
    if kind == "decision":
        return round_.status == RoundStatus.CLOSED
    return round_.status == RoundStatus.CLOSED or evaluation.review_is_over(round_)


# The words ---------------------------------------------------------------------------------


def _points(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, NumberKind.PLAIN)


def _grade(code: str) -> str:
    try:
        return str(Grade(code).label)
    except ValueError:
        return ""


def _grades_summary(record: evaluation.RoundRecord) -> str:
    counts = Counter(row.grade for row in record.rows)
    return "; ".join(_("%(count)s “%(grade)s”") % {"count": counts[grade], "grade": _grade(grade)}
                     for grade in Grade.values if counts[grade]) or _("no subject")


def _about(round_: Round) -> dict[str, Any]:
    return {"year": round_.year, "level": round_.get_level_display(), "unit": round_.unit.name}


def _round_paragraphs(record: evaluation.RoundRecord) -> list[str]:
    round_, criteria_set = record.round, record.round.criteria_set
    state = (_("closed on %(date)s: the grades are final") % {
        "date": long_date(timezone.localtime(round_.closed_at).date())}
        if round_.status == RoundStatus.CLOSED and round_.closed_at else
        _("still open: the grades are provisional until it closes"))
    return [
        "## " + _("I. The round"),
        _("The round was opened on %(opened)s by %(who)s with the criteria set “%(set)s”, "
          "version %(number)s (%(basis)s); the evidence was computed from Sixclear's records "
          "as of %(date)s.") % {
            "opened": long_date(timezone.localtime(round_.opened_at).date()),
            "who": person_name(round_.opened_by), "set": criteria_set.name,
            "number": criteria_set.number, "basis": criteria_set.basis,
            "date": long_date(round_.snapshot_date)},
        _("Reviewed and decided by: %(people)s.") % {
            "people": ", ".join(person_name(who) for who in record.reviewers) or "—"},
        _("Subjects: %(count)s; the round is %(state)s.") % {
            "count": len(record.rows), "state": state},
    ]


def _adjustment_paragraphs(record: evaluation.RoundRecord) -> list[str]:
    lines = [(_("%(subject)s, criterion %(code)s (%(title)s): %(computed)s points "
                "self-assessed, %(points)s decided by %(who)s. Reason: %(reason)s")
              if found.manual else
              _("%(subject)s, criterion %(code)s (%(title)s): %(computed)s points by the rule, "
                "%(points)s decided by %(who)s. Reason: %(reason)s")) % {
        "subject": found.subject, "code": found.code, "title": found.title,
        "computed": _points(found.computed), "points": _points(found.points),
        "who": person_name(found.by), "reason": found.reason}
        for found in record.adjustments]
    return ["## " + _("III. Points adjusted by the level above"),
            *(lines or [_("No points were adjusted.")])]


def _limit_paragraphs(record: evaluation.RoundRecord) -> list[str]:
    language = (translation.get_language() or "vi")[:2]
    lines = [_("%(subject)s: %(label)s, not above “%(grade)s” (%(citation)s). Decision or "
               "record: %(reason)s") % {
        "subject": veto.subject, "label": veto.label.get(language) or veto.label.get("vi", ""),
        "grade": _grade(veto.max_grade), "citation": veto.citation, "reason": veto.reason}
        for veto in record.vetoes]
    lines += [_("%(subject)s: graded “%(grade)s” rather than “%(capped)s”: at most %(allowed)s "
                "of the %(base)s subjects graded “well completed” or better may be "
                "“%(capped)s” (%(citation)s).") % {
        "subject": cap.subject, "grade": _grade(cap.step.grade),
        "capped": _grade(cap.step.detail["capped"]), "allowed": cap.step.detail["allowed"],
        "base": cap.step.detail["base"], "citation": cap.step.citation}
        for cap in record.caps]
    return ["## " + _("IV. Disqualifiers and caps"),
            *(lines or [_("No disqualifier or cap was applied.")])]


def _reply_paragraphs(record: evaluation.RoundRecord) -> list[str]:
    lines = [_("%(subject)s replied on %(date)s: %(reply)s") % {
        "subject": subject.name, "reply": subject.reply,
        "date": long_date(timezone.localtime(subject.replied_at).date())
        if subject.replied_at else "—"} for subject in record.replies]
    return ["## " + _("V. Replies to the decisions"),
            *(lines or [_("No subject replied to the decision.")])]


def _computed_total(row: evaluation.Row) -> Decimal:
    return sum((line.computed or Decimal(0) for line in row.result.lines), Decimal(0))


def _points_table(record: evaluation.RoundRecord) -> DocumentTable:
    return DocumentTable(
        caption=_("Appendix I: points and grades"),
        columns=[_("Rank"), pgettext("evaluation", "Subject"), _("Proposed grade"),
                 _("Points by the rules"), _("Points counted"), _("Grade")],
        rows=[[str(row.rank), row.subject.name, _grade(row.subject.proposed_grade) or "—",
               _points(_computed_total(row)), _points(row.points), _grade(row.grade)]
              for row in record.rows], attached=True)


def _criteria_table(record: evaluation.RoundRecord) -> DocumentTable:
    codes = [criterion.code for criterion in record.criteria]
    rows = []
    for row in record.rows:
        lines = {line.code: line for line in row.result.lines}
        rows.append([row.subject.name, *[
            _points(lines[code].points) + ("*" if lines[code].adjusted else "")
            if code in lines else "—" for code in codes], _points(row.points)])
    return DocumentTable(
        caption=_("Appendix II: points by criterion (* adjusted by the level above)"),
        columns=[pgettext("evaluation", "Subject"),
                 *[f"{c.code} ({_points(c.points)})" for c in record.criteria], _("Total")],
        rows=rows, wide=len(codes) > 5, attached=True)


def minutes_content(round_: Round, language: str) -> IssuedContent:
    """The minutes of the round's review, in `language`."""
    with translation.override(language):
        record = evaluation.round_record(round_)
        return IssuedContent(
            unit=round_.unit, kind=DocumentKind.EVALUATION_MINUTES, subject=subject_key(round_),
            language=language, document_type=_("MINUTES"), number_code="BB",
            summary=_("Review of the evaluation and grading for %(year)s: %(level)s under "
                      "%(unit)s") % _about(round_),
            paragraphs=[
                *_round_paragraphs(record),
                "## " + _("II. Points and grades"),
                _("Each subject's points by the rules, the points counted after the review and "
                  "the grade are in Appendix I; the points of each criterion in Appendix II."),
                _("Result: %(summary)s.") % {"summary": _grades_summary(record)},
                *_adjustment_paragraphs(record), *_limit_paragraphs(record),
                *_reply_paragraphs(record),
                _("These minutes were drawn up from the round's records in Sixclear, where every "
                  "point opens to the tasks and targets behind it.")],
            tables=[_points_table(record), _criteria_table(record)],
            recipients=[_("The subjects of the round")], issued_on=timezone.localdate())


def _grades_table(record: evaluation.RoundRecord) -> DocumentTable:
    return DocumentTable(
        caption=_("Appendix I: grades"),
        columns=[_("No."), pgettext("evaluation", "Subject"), _("Points"), _("Grade"), _("Rank")],
        rows=[[str(number), row.subject.name, _points(row.points), _grade(row.grade),
               str(row.rank)] for number, row in enumerate(record.rows, start=1)],
        attached=True)


def _titles_table(record: evaluation.RoundRecord) -> DocumentTable:
    rules = {rule["code"]: rule for rule in title_rules(record.round)}
    persons = record.round.level == Level.CADRE
    return DocumentTable(
        caption=_("Appendix II: proposals for emulation titles"),
        columns=[_("No."), pgettext("evaluation", "Person") if persons else _("Collective"),
                 _("Grade"), _("Rank"), _("Title proposed"), _("Basis")],
        rows=[[str(number), found.subject.name, _grade(found.subject.final_grade),
               str(found.subject.rank or ""),
               title_label(rules[found.title]) if found.title in rules else found.title_name,
               found.reason or found.citation]
              for number, found in enumerate(record.proposals, start=1)],
        wide=True, empty_text=_("No person is proposed for an emulation title.") if persons
        else _("No collective is proposed for an emulation title."),
        attached=True)


def decision_content(round_: Round, language: str) -> IssuedContent:
    """The decision on the round's grades, in `language`: Appendix I the grades, Appendix II
    the proposals for emulation titles (of collectives, or of persons)."""
    with translation.override(language):
        record = evaluation.round_record(round_)
        collectives = round_.level != Level.CADRE
        last = 3
        criteria_set = round_.criteria_set
        articles = [_("Article 1. The %(count)s subjects of the evaluation of %(year)s are graded "
                      "as in Appendix I: %(summary)s.") % {
            "count": len(record.rows), "year": round_.year,
            "summary": _grades_summary(record)}]
        articles.append(_("Article 2. The collectives in Appendix II are proposed for the "
                          "emulation titles named there.") if collectives else
                        _("Article 2. The persons in Appendix II are proposed for the emulation "
                          "titles named there."))
        articles.append(_("Article %(number)s. This decision takes effect from the day it is "
                          "signed. The offices concerned and the subjects named in Article 1 "
                          "carry it out.") % {"number": last})
        return IssuedContent(
            unit=round_.unit, kind=DocumentKind.EVALUATION_DECISION,
            subject=subject_key(round_), language=language, document_type=_("DECISION"),
            number_code="QĐ",
            summary=_("On the grades of the evaluation for %(year)s: %(level)s under "
                      "%(unit)s") % _about(round_),
            paragraphs=[
                _("Pursuant to %(basis)s;") % {"basis": criteria_set.basis},
                _("Pursuant to the criteria set “%(set)s”, version %(number)s;") % {
                    "set": criteria_set.name, "number": criteria_set.number},
                _("Considering the subjects' self-assessments and the minutes of the review,"),
                "## " + _("DECIDES:"), *articles],
            tables=[_grades_table(record), _titles_table(record)],
            recipients=[_("As in Article %(number)s") % {"number": last}],
            issued_on=timezone.localdate())


BUILDERS = {"minutes": minutes_content, "decision": decision_content}


# The pages ---------------------------------------------------------------------------------


def _language(value: str | None) -> str:
    if value in LANGUAGES:
        return value  # type: ignore[return-value]
    current = (translation.get_language() or "vi")[:2]
    return current if current in LANGUAGES else "vi"


def _documents_context(request: Any, round_: Round) -> dict[str, Any]:
    language = _language(request.GET.get("lang"))
    ready = {kind: available(round_, kind) for kind in KINDS}
    signable = {kind: ready[kind] and may_sign_issued(
        request.user, IssuedContent(unit=round_.unit, kind=KINDS[kind],
                                    subject=subject_key(round_), language=language,
                                    document_type="", summary="", number_code=""))
        for kind in KINDS}
    return {"round": round_, "unit": round_.unit, "ready": ready, "signable": signable,
            "language": language, "document_languages": settings.LANGUAGES,
            "signed": list(issued_for(subject_key(round_))),
            "reviews": evaluation.reviews(request.user, round_)}


@login_required
def documents(request, pk):
    """The round's minutes and decision: downloads, signing, the signed copies."""
    round_ = evaluation.round_for_documents(request.user, pk)
    return render(request, "reports/evaluation_documents.html",
                  _documents_context(request, round_))


@login_required
def document_file(request, pk, kind, format):
    """An unsigned DOCX or PDF of the minutes or the decision, in the chosen language."""
    round_ = evaluation.round_for_documents(request.user, pk)
    if kind not in KINDS or format not in CONTENT_TYPES or not available(round_, kind):
        raise Http404
    language = _language(request.GET.get("lang"))
    content = BUILDERS[kind](round_, language)
    data = render_pdf(content) if format == "pdf" else render_docx(content)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    name = slugify(f"{kind}-{round_.unit.code}-{round_.year}-{round_.level}-{language}")
    response["Content-Disposition"] = f'attachment; filename="{name or kind}.{format}"'
    return response


@login_required
@require_POST
def sign(request, pk):
    """The deciding unit's designated signer signs the minutes or the decision (PAdES)."""
    round_ = evaluation.round_for_documents(request.user, pk)
    kind = request.POST.get("kind", "")
    if kind not in KINDS or not available(round_, kind):
        raise Http404
    content = BUILDERS[kind](round_, _language(request.POST.get("language")))
    try:  # a signer without a key, or a signature at the same moment (a stale edit)
        sign_issued(actor=request.user, content=content)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The document was signed."))
    return redirect("reports:evaluation_documents", round_.pk)


def _signed_copy(request, pk, document_pk):
    round_ = evaluation.round_for_documents(request.user, pk)
    document = issued_for(subject_key(round_)).filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return round_, document


@login_required
def signed_copy(request, pk, document_pk):
    """A signed copy, for whoever may read the round's documents (its subjects too)."""
    round_, document = _signed_copy(request, pk, document_pk)
    try:
        stream = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    kind = "decision" if document.kind == DocumentKind.EVALUATION_DECISION else "minutes"
    return FileResponse(stream, as_attachment=True, content_type="application/pdf",
                        filename=f"{kind}-{round_.unit.code}-{round_.year}-signed-"
                                 f"{document.pk}.pdf")


@login_required
def verify_copy(request, pk, document_pk):
    """Verify a stored signed copy: who signed, when, intact, trusted."""
    round_, document = _signed_copy(request, pk, document_pk)
    with document.file.open("rb") as stream:
        result = signing.verify_pdf(stream.read())
    return render(request, "reports/evaluation_documents.html", {
        **_documents_context(request, round_), "verified": document, "result": result})
