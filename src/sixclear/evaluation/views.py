"""Pages of the annual evaluation. Rules live in `services`; reads in `selectors`."""

from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.spreadsheet_safety import xlsx_row
from sixclear.versioning import StaleEdit

from . import measures, selectors, services
from .forms import (
    AddProposalForm,
    CriteriaSetForm,
    CriterionForm,
    DeriveForm,
    InitiativeForm,
    NewCriterionForm,
    OpenRoundForm,
    ReplyForm,
    RequirementForm,
    ReviewForm,
    SelfAssessmentForm,
    VersionForm,
    WithdrawProposalForm,
)
from .models import Criterion, Grade, Level, Method, RoundStatus, TitleProposal
from .templatetags.evaluation import veto_label
from .titles import cap_places as title_places
from .titles import title_label


def _status(error):
    return 409 if isinstance(error, StaleEdit) else 400


@login_required
def unit_evaluation(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    form = OpenRoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    may_open = reaches_unit(request.user, unit, Role.ADMIN)
    status = 200
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                round_ = services.open_round(actor=request.user, unit=unit,
                                             year=form.cleaned_data["year"],
                                             level=form.cleaned_data["level"])
            except ValidationError as error:
                form.add_service_error(error)
                status = 400
            else:
                messages.success(request, _("The round was opened and its evidence computed."))
                return redirect("evaluation:round", round_.pk)
        else:
            status = 400
    return render(request, "evaluation/unit.html", {
        "unit": unit, "trail": unit_trail(request.user, unit)[:-1], "form": form,
        "may_open": may_open, **selectors.rounds_of_unit(request.user, unit),
    }, status=status)


@login_required
def round_page(request, pk):
    round_ = selectors.round_for_review(request.user, pk)
    return render(request, "evaluation/round.html", {
        "round": round_, "unit": round_.unit, "rows": selectors.round_rows(round_),
        "may_decide": selectors.decides(request.user, round_),
        "open": round_.status == RoundStatus.OPEN,
    })


@login_required
@require_POST
def round_action(request, pk):
    round_ = selectors.round_for_review(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    try:
        if request.POST.get("action") == "close":
            services.close_round(actor=request.user, round=round_,
                                 expected_version=form.cleaned_data["version"])
            messages.success(request, _("The round was closed: its grades are final."))
        else:
            count = services.refresh_evidence(actor=request.user, round=round_)
            messages.success(request, ngettext(
                "The evidence of %(count)s subject was recomputed.",
                "The evidence of %(count)s subjects was recomputed.", count) % {"count": count})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("evaluation:round", round_.pk)


@login_required
def round_export(request, pk):
    """The round's table as XLSX: rank, subject, each criterion's points, total, grade."""
    from openpyxl import Workbook

    round_ = selectors.round_for_review(request.user, pk)
    rows = selectors.round_rows(round_)
    criteria = list(round_.criteria_set.criteria.all())
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Evaluation"))
    sheet.append(xlsx_row(sheet, [f"{round_.unit.name} · {round_.year} · "
                                  f"{round_.get_level_display()}"]))
    sheet.append(xlsx_row(sheet, [_("Rank"), pgettext("evaluation", "Subject"),
                                  *[f"{c.code} ({c.points})" for c in criteria],
                                  _("Points"), _("Grade"), pgettext("evaluation", "State")]))
    for row in rows:
        points = {line.code: line.points for line in row.result.lines}
        sheet.append(xlsx_row(sheet, [
            row.subject.rank or row.result.rank, row.subject.name,
            *[float(points.get(c.code, 0)) for c in criteria], float(row.points),
            str(Grade(row.grade).label), str(row.subject.get_state_display())]))
    return _xlsx_download(book, "evaluation", round_)


def _subject_context(request, subject, self_form=None, review_form=None, reply_form=None,
                     initiative_form=None):
    page = selectors.subject_page(request.user, subject)
    if initiative_form is None and subject.person_id and page.may_decide:
        initiative_form = InitiativeForm(initial={
            "version": subject.version, "initiative": subject.initiative,
            "reference": subject.initiative_reference})
    if reply_form is None and page.may_reply:
        reply_form = ReplyForm(initial={"version": subject.version, "reply": subject.reply})
    if review_form is None and page.may_review and page.may_decide:
        review_form = ReviewForm(lines=page.lines, vetoes=page.vetoes, initial={
            "version": subject.version, "comment": subject.review_comment,
            **{f"points_{v.criterion.code}": v.line.review_points for v in page.lines},
            **{f"reason_{v.criterion.code}": v.line.review_reason for v in page.lines},
            **{f"apply_{v['code']}": v["applied"] for v in page.vetoes},
            **{f"veto_{v['code']}": v["reason"] for v in page.vetoes}})
    if self_form is None and review_form is None and page.may_self_assess:
        self_form = SelfAssessmentForm(lines=page.lines, initial={
            "version": subject.version, "proposed_grade": subject.proposed_grade,
            "comment": subject.self_comment,
            **{f"points_{v.criterion.code}": v.line.self_points for v in page.lines},
            **{f"note_{v.criterion.code}": v.line.self_note for v in page.lines}})
    rows = []
    for view in page.lines:
        code = view.criterion.code
        rows.append({"view": view,
                     "self_points": self_form[f"points_{code}"] if self_form is not None
                     and f"points_{code}" in self_form.fields else None,
                     "self_note": self_form[f"note_{code}"] if self_form is not None else None,
                     "review_points": review_form[f"points_{code}"] if review_form else None,
                     "review_reason": review_form[f"reason_{code}"] if review_form else None})
    vetoes = [{"veto": veto, "label": veto_label(veto),
               "apply": review_form[f"apply_{veto['code']}"] if review_form else None,
               "reason": review_form[f"veto_{veto['code']}"] if review_form else None}
              for veto in page.vetoes]
    return {"page": page, "subject": subject, "round": page.round, "rows": rows,
            "vetoes": vetoes, "self_form": self_form, "review_form": review_form,
            "reply_form": reply_form, "initiative_form": initiative_form,
            "Method": Method}


@login_required
def subject_page(request, pk):
    subject = selectors.subject_for(request.user, pk)
    return render(request, "evaluation/subject.html", _subject_context(request, subject))


def _subject_post(request, subject, form, form_name, write):
    """A form of the subject's page: on a valid post `write(cleaned_data)` goes through the
    service and returns the message to show, then back to the page; otherwise the page again
    with the form, 400, or 409 for a stale subject."""
    status = 400
    if form.is_valid():
        try:
            saved = write(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
            subject.refresh_from_db()
            status = _status(error)
        else:
            messages.success(request, saved)
            return redirect("evaluation:subject", subject.pk)
    return render(request, "evaluation/subject.html",
                  _subject_context(request, subject, **{form_name: form}), status=status)


@login_required
@require_POST
def self_assessment(request, pk):
    subject = selectors.subject_for(request.user, pk)
    if not services.may_self_assess(request.user, subject):
        raise PermissionDenied
    page = selectors.subject_page(request.user, subject)
    form = SelfAssessmentForm(request.POST, lines=page.lines)
    submit = "submit" in request.POST

    def write(data):
        services.save_self_assessment(
            actor=request.user, subject=subject, expected_version=data["version"],
            comment=data["comment"], proposed_grade=data["proposed_grade"],
            scores=form.scores(), submit=submit)
        return (_("The self-assessment was handed to the level above.") if submit
                else _("The self-assessment was saved."))

    return _subject_post(request, subject, form, "self_form", write)


@login_required
@require_POST
def review(request, pk):
    subject = selectors.subject_for(request.user, pk)
    if not selectors.decides(request.user, subject.round):
        raise PermissionDenied
    page = selectors.subject_page(request.user, subject)
    form = ReviewForm(request.POST, lines=page.lines, vetoes=page.vetoes)
    decide = "decide" in request.POST

    def write(data):
        services.review_subject(
            actor=request.user, subject=subject, expected_version=data["version"],
            adjustments=form.adjustments(), vetoes=form.applied_vetoes(),
            comment=data["comment"], decide=decide)
        return (pgettext("evaluation", "The decision was recorded.") if decide
                else _("The review was saved."))

    return _subject_post(request, subject, form, "review_form", write)


@login_required
@require_POST
def initiative(request, pk):
    """The reviewer records a person's initiative recognised, with its document (for the
    person's emulation titles)."""
    subject = selectors.subject_for(request.user, pk)
    if not selectors.decides(request.user, subject.round):
        raise PermissionDenied
    if subject.person_id is None:
        raise Http404

    def write(data):
        services.record_initiative(actor=request.user, subject=subject,
                                   expected_version=data["version"],
                                   initiative=data["initiative"], reference=data["reference"])
        return _("The initiative was recorded.")

    return _subject_post(request, subject, InitiativeForm(request.POST), "initiative_form",
                         write)


@login_required
@require_POST
def reply(request, pk):
    subject = selectors.subject_for(request.user, pk)
    if not services.may_self_assess(request.user, subject):
        raise PermissionDenied

    def write(data):
        services.reply_to_decision(actor=request.user, subject=subject,
                                   expected_version=data["version"], text=data["reply"])
        return _("Your reply was recorded beside the decision.")

    return _subject_post(request, subject, ReplyForm(request.POST), "reply_form", write)


@login_required
def criteria_sets(request):
    return render(request, "evaluation/sets.html", {
        "sets": selectors.visible_criteria_sets(request.user)})


def _set_context(request, criteria_set, set_form=None, derive_form=None,
                 requirement_form=None):
    editable = selectors.edits_set(request.user, criteria_set) and \
        criteria_set.status == "draft"
    rules = criteria_set.rules
    if set_form is None and editable:
        grades = rules.get("grades", {})
        cap = next((c for c in rules.get("caps", []) if c.get("grade") == "excellent"), None)
        set_form = CriteriaSetForm(initial={
            "version": criteria_set.version, "name": criteria_set.name,
            "excellent_min": grades.get("excellent", {}).get("min_points"),
            "good_min": grades.get("good", {}).get("min_points"),
            "complete_min": grades.get("complete", {}).get("min_points"),
            "cap_share": cap["share"] if cap else 1})
    admin_units = selectors.admin_units(request.user)
    if derive_form is None and admin_units.exists():
        derive_form = DeriveForm(units=admin_units)
    criteria = list(criteria_set.criteria.all())
    if requirement_form is None and editable:
        requirement_form = RequirementForm(criteria=criteria,
                                           initial={"version": criteria_set.version})
    return {"set": criteria_set, "criteria": criteria, "editable": editable,
            "set_form": set_form, "derive_form": derive_form,
            "requirement_form": requirement_form,
            "grades": [(Grade(g).label, rules.get("grades", {}).get(g, {}))
                       for g in ("excellent", "good", "complete")],
            "caps": rules.get("caps", []),
            "vetoes": [{"label": veto_label(v), **v} for v in rules.get("vetoes", [])],
            "measures": {m.key: m for m in measures.all_measures()}}


@login_required
def criteria_set_page(request, pk):
    criteria_set = selectors.criteria_set_for(request.user, pk)
    set_form = derive_form = requirement_form = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "derive":
                derive_form = DeriveForm(request.POST,
                                         units=selectors.admin_units(request.user))
                if derive_form.is_valid():
                    copy = services.derive_criteria_set(
                        actor=request.user, source=criteria_set,
                        unit=derive_form.cleaned_data["unit"])
                    return redirect("evaluation:criteria_set", copy.pk)
                status = 400
            elif action == "requirement":
                requirement_form = RequirementForm(request.POST,
                                                   criteria=criteria_set.criteria.all())
                if not requirement_form.is_valid():
                    status = 400
                else:
                    data = requirement_form.cleaned_data
                    services.set_requirement(
                        actor=request.user, criteria_set=criteria_set,
                        expected_version=data["version"], grade=data["grade"],
                        criterion=data["criterion"], min_ratio=data["min_ratio"])
                    messages.success(request, _("The grade's requirement was saved."))
                    return redirect("evaluation:criteria_set", criteria_set.pk)
            elif action == "publish":
                form = VersionForm(request.POST)
                if not form.is_valid():
                    raise BadRequest
                services.publish_criteria_set(actor=request.user, criteria_set=criteria_set,
                                              expected_version=form.cleaned_data["version"])
                messages.success(request, _("The criteria set was published."))
                return redirect("evaluation:criteria_set", criteria_set.pk)
            else:
                set_form = CriteriaSetForm(request.POST)
                if set_form.is_valid():
                    data = set_form.cleaned_data
                    services.update_criteria_set(
                        actor=request.user, criteria_set=criteria_set,
                        expected_version=data["version"], name=data["name"],
                        excellent_min=data["excellent_min"], good_min=data["good_min"],
                        complete_min=data["complete_min"], cap_share=data["cap_share"])
                    messages.success(request, _("The criteria set was saved."))
                    return redirect("evaluation:criteria_set", criteria_set.pk)
                status = 400
        except ValidationError as error:
            criteria_set.refresh_from_db()
            status = _status(error)
            if set_form is not None:
                set_form.add_service_error(error)
            elif requirement_form is not None:
                requirement_form.add_service_error(error)
            else:
                for message in error.messages:
                    messages.error(request, message)
    return render(request, "evaluation/set.html",
                  _set_context(request, criteria_set, set_form, derive_form, requirement_form),
                  status=status)


@login_required
def criterion_edit(request, pk, criterion_pk):
    criteria_set = selectors.criteria_set_for(request.user, pk)
    criterion = get_object_or_404(Criterion, criteria_set=criteria_set, pk=criterion_pk)
    if not selectors.edits_set(request.user, criteria_set):
        raise PermissionDenied
    form = CriterionForm(request.POST or None, measures=measures.all_measures(), initial={
        "version": criteria_set.version, "title": criterion.title,
        "title_en": criterion.title_en, "title_ar": criterion.title_ar,
        "citation": criterion.citation, "points": criterion.points,
        "method": criterion.method, "measure": criterion.measure,
        "full_at": criterion.parameters.get("full_at", 1)})
    return _criterion_page(
        request, form, criteria_set, criterion, _("The criterion was saved."),
        lambda version, fields: services.update_criterion(
            actor=request.user, criterion=criterion, expected_version=version, **fields))


@login_required
def criterion_new(request, pk):
    """A new criterion at the end of a draft set (a condition when it weighs 0 points)."""
    criteria_set = selectors.criteria_set_for(request.user, pk)
    if not selectors.edits_set(request.user, criteria_set):
        raise PermissionDenied
    form = NewCriterionForm(request.POST or None, measures=measures.all_measures(), initial={
        "version": criteria_set.version, "method": Method.MEASURE, "points": 0, "full_at": 1})
    return _criterion_page(
        request, form, criteria_set, None, _("The criterion was added."),
        lambda version, fields: services.add_criterion(
            actor=request.user, criteria_set=criteria_set, expected_version=version, **fields))


def _criterion_page(request, form, criteria_set, criterion, saved, write):
    """A criterion's form: on a valid post, `write(version, fields)` through the service, then
    back to the set; otherwise the form again, 400, or 409 for a stale set."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                write(form.cleaned_data["version"], fields)
            except ValidationError as error:
                form.add_service_error(error)
                status = _status(error)
            else:
                messages.success(request, saved)
                return redirect("evaluation:criteria_set", criteria_set.pk)
    return render(request, "evaluation/criterion.html",
                  {"set": criteria_set, "criterion": criterion, "form": form}, status=status)


def _proposal_context(request, round_, add_form=None, withdraw_form=None):
    rules = services.title_rules(round_)
    may_edit = round_.status == RoundStatus.CLOSED and reaches_unit(
        request.user, round_.unit, Role.MANAGER)
    subjects = list(round_.subjects.order_by("rank", "name"))
    persons = round_.level == Level.CADRE
    if add_form is None and may_edit:
        add_form = AddProposalForm(subjects=subjects, persons=persons,
                                   titles=[(r["code"], title_label(r)) for r in rules])
    proposals = selectors.round_proposals(round_)
    for proposal in proposals:
        proposal.form = (withdraw_form if withdraw_form is not None
                         and withdraw_form.data.get("proposal") == str(proposal.pk)
                         else WithdrawProposalForm(auto_id=f"withdraw_{proposal.pk}_%s",
                                                   initial={"proposal": proposal.pk,
                                                            "version": proposal.version}))
    return {"round": round_, "unit": round_.unit, "proposals": proposals,
            "labels": {r["code"]: title_label(r) for r in rules}, "rules": rules,
            "history": selectors.proposal_history(round_), "may_edit": may_edit,
            "add_form": add_form, "closed": round_.status == RoundStatus.CLOSED,
            "persons": persons, "caps": _cap_steps(rules, proposals)}


def _cap_steps(rules, proposals):
    """Each capped rule as the page states it: its share of those proposed for the title it is
    of, the places that gives, and how many are proposed and left out."""
    standing: dict[str, int] = {}
    for proposal in proposals:
        if not proposal.withdrawn:
            standing[proposal.title] = standing.get(proposal.title, 0) + 1
    labels = {rule["code"]: title_label(rule) for rule in rules}
    steps = []
    for rule in rules:
        cap = rule.get("cap")
        if not cap:
            continue
        base = standing.get(cap["of"], 0)
        steps.append({
            "title": labels[rule["code"]], "of": labels.get(cap["of"], cap["of"]),
            "share": Decimal(str(cap["share"])), "base": base,
            "allowed": title_places(cap["share"], base),
            "proposed": standing.get(rule["code"], 0), "citation": cap.get("citation", ""),
            "left_out": sum(1 for p in proposals if p.title == rule["code"] and p.withdrawn)})
    return steps


def _proposal_action(request, round_):
    """Run one POSTed action on the proposals; returns the failed form, or None once done."""
    action = request.POST.get("action")
    if action == "draw_up":
        try:
            count = services.draw_up_proposals(actor=request.user, round=round_)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return None
        messages.success(request, ngettext("%(count)s proposal was drawn up by the rules.",
                                           "%(count)s proposals were drawn up by the rules.",
                                           count) % {"count": count})
        return None
    if action == "withdraw":
        form = WithdrawProposalForm(request.POST)
        if not form.is_valid():
            return {"withdraw_form": form}
        proposal = get_object_or_404(TitleProposal, round=round_,
                                     pk=form.cleaned_data["proposal"])
        try:
            services.withdraw_proposal(actor=request.user, proposal=proposal,
                                       expected_version=form.cleaned_data["version"],
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
            return {"withdraw_form": form, "error": error}
        messages.success(request, _("The proposal was withdrawn."))
        return None
    subjects = round_.subjects.all()
    form = AddProposalForm(request.POST, subjects=subjects,
                           persons=round_.level == Level.CADRE, titles=[
        (r["code"], title_label(r)) for r in services.title_rules(round_)])
    if not form.is_valid():
        return {"add_form": form}
    try:
        services.add_proposal(actor=request.user, round=round_,
                              subject=subjects.get(pk=form.cleaned_data["subject"]),
                              title=form.cleaned_data["title"],
                              reason=form.cleaned_data["reason"])
    except ValidationError as error:
        form.add_service_error(error)
        return {"add_form": form, "error": error}
    messages.success(request, _("The proposal was added."))
    return None


@login_required
def proposals(request, pk):
    """A closed round's proposals for emulation titles: drawn up by the rules, added or
    withdrawn with a reason by a manager of the deciding unit, every change in the history."""
    round_ = selectors.round_for_proposals(request.user, pk)
    if request.method == "POST":
        failed = _proposal_action(request, round_)
        if failed is None:
            return redirect("evaluation:proposals", round_.pk)
        error = failed.pop("error", None)
        return render(request, "evaluation/proposals.html",
                      _proposal_context(request, round_, **failed),
                      status=_status(error) if error else 400)
    return render(request, "evaluation/proposals.html", _proposal_context(request, round_))


@login_required
def proposals_export(request, pk):
    """The proposals as XLSX: collective, grade, rank, points, title, how and why proposed."""
    from openpyxl import Workbook

    round_ = selectors.round_for_proposals(request.user, pk)
    labels = {r["code"]: title_label(r) for r in services.title_rules(round_)}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Proposals"))
    sheet.append(xlsx_row(sheet, [f"{round_.unit.name} · {round_.year} · "
                                  f"{round_.get_level_display()}"]))
    who = pgettext("evaluation", "Person") if round_.level == Level.CADRE else _("Collective")
    sheet.append(xlsx_row(sheet, [_("Rank"), who, _("Points"), _("Grade"),
                                  _("Emulation title"), _("Proposed"), _("Reason"),
                                  _("Rule cited"),
                                  pgettext("evaluation", "State"), _("Reason for withdrawing")]))
    for proposal in selectors.round_proposals(round_):
        subject = proposal.subject
        sheet.append(xlsx_row(sheet, [
            subject.rank, subject.name,
            float(subject.final_points) if subject.final_points is not None else None,
            str(Grade(subject.final_grade).label) if subject.final_grade else "",
            labels.get(proposal.title, proposal.title_name),
            str(proposal.get_origin_display()), proposal.reason, proposal.citation,
            _("Withdrawn") if proposal.withdrawn else _("Proposed"),
            proposal.withdrawn_reason]))
    return _xlsx_download(book, "titles", round_)


def _xlsx_download(book, prefix, round_):
    """The workbook as an XLSX download named after the round."""
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = slugify(f"{prefix}-{round_.unit.code}-{round_.year}-{round_.level}") or prefix
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
