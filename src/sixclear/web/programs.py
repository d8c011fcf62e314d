"""Programs, plans, meeting conclusions and leadership decisions: the program page (its
sections with their targets and tasks, its decision appendix) and writing a program, its
sections and where its targets and tasks sit. Thin, like the resolution pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.orgs.selectors import unit_trail
from sixclear.plans import services
from sixclear.plans.forms import (
    ArrangeForm,
    MoveForm,
    NewSectionForm,
    ProgramForm,
    SectionForm,
)
from sixclear.plans.models import ProgramSection
from sixclear.plans.selectors import (
    changed_since,
    plan_history,
    program_choices_for,
    visible_programs,
    visible_resolutions,
)
from sixclear.tracking import selectors as tracking
from sixclear.tracking import services as tracking_services
from sixclear.versioning import StaleEdit

from .editing import CONFLICT, save_edit
from .resolutions import _writable_unit, may_write
from .tasks import is_htmx

PROGRAM_SECTION_TASKS = 25  # a section lists this many; the task list has them all


def target_form_url(program):
    """The target form's page for a new target of this program, its program preselected."""
    url = reverse("plans:target_create", args=[program.unit_id])
    return f"{url}?program={program.pk}"


def _program(request, pk):
    return get_object_or_404(
        visible_programs(request.user).select_related("unit", "resolution"), pk=pk)


def _writable_program(request, pk):
    program = _program(request, pk)
    if not may_write(request.user, program.unit):
        raise PermissionDenied
    return program


@login_required
def program_detail(request, pk):
    program = _program(request, pk)
    can_edit = may_write(request.user, program.unit)
    context = {
        "program": program,
        "page": tracking.program_page(request.user, program, task_limit=PROGRAM_SECTION_TASKS),
        "trail": unit_trail(request.user, program.unit),
        "can_edit": can_edit,
        "new_target_url": target_form_url(program) if can_edit else None,
        "history": plan_history(program),
    }
    return render(request, "plans/program_detail.html", context)


def _form_page(request, unit, form, program=None, status=200):
    context = {"form": form, "unit": unit, "program": program,
               "trail": unit_trail(request.user, unit)}
    return render(request, "plans/program_form.html", context, status=status)


@login_required
def program_create(request, unit_pk):
    unit = _writable_unit(request, unit_pk)
    resolutions = program_choices_for(unit)
    initial = {}
    chosen = request.GET.get("resolution", "")
    if chosen.isdigit():
        initial["resolution"] = visible_resolutions(request.user).filter(
            pk=int(chosen), pk__in=resolutions.values("pk")).first()
    form = ProgramForm(request.POST or None, resolutions=resolutions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(actor=request.user, unit=unit, **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The program was saved. Now add its sections."))
            return redirect("plans:program_sections", pk=program.pk)
    return _form_page(request, unit, form)


@login_required
def program_edit(request, pk):
    program = _writable_program(request, pk)
    form = ProgramForm(request.POST or None, instance=program,
                       resolutions=program_choices_for(program.unit))
    status = save_edit(request, form, program, changed=changed_since, save=lambda version:
                       services.update_program(actor=request.user, program=program,
                                               expected_version=version, **form.changes()))
    if status is None:
        messages.success(request, _("The program was saved."))
        return redirect("plans:program", pk=program.pk)
    return _form_page(request, program.unit, form, program, status)


# Sections and what they hold --------------------------------------------------------------------

def _arrange_form(request, program, page, data=None):
    placed = {}
    targets, tasks = [], []
    for rows in page.sections:
        for target in rows.targets:
            targets.append(target)
            placed[("target", target.pk)] = rows.section.pk if rows.section else None
        for task in rows.tasks:
            tasks.append(task)
            placed[("task", task.pk)] = rows.section.pk if rows.section else None
    sections = [rows.section for rows in page.sections if rows.section]
    return ArrangeForm(data, program=program, sections=sections, targets=targets, tasks=tasks,
                       placed=placed)


def _sections_page(request, program, new_form=None, arrange=None, status=200, error=None):
    page = tracking.program_page(request.user, program)
    context = {
        "program": program, "trail": unit_trail(request.user, program.unit),
        "sections": [rows.section for rows in page.sections if rows.section],
        "new_form": new_form or NewSectionForm(),
        "arrange": arrange or _arrange_form(request, program, page),
        "error": error,
    }
    template = "plans/_section_list.html" if is_htmx(request) and arrange is None \
        and new_form is None else "plans/program_sections.html"
    return render(request, template, context, status=status)


@login_required
def program_sections(request, pk):
    return _sections_page(request, _writable_program(request, pk))


@login_required
@require_POST
def section_add(request, pk):
    program = _writable_program(request, pk)
    form = NewSectionForm(request.POST)
    if form.is_valid():
        try:
            services.add_program_section(actor=request.user, program=program,
                                         **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The section was added."))
            return redirect("plans:program_sections", pk=program.pk)
    return _sections_page(request, program, new_form=form, status=400)


@login_required
@require_POST
def program_arrange(request, pk):
    program = _writable_program(request, pk)
    page = tracking.program_page(request.user, program)
    form = _arrange_form(request, program, page, request.POST)
    if not form.is_valid():
        raise BadRequest
    targets, tasks = form.placement()
    try:
        tracking_services.arrange_program(actor=request.user, program=program,
                                          expected_version=form.cleaned_data["version"],
                                          targets=targets, tasks=tasks)
    except ValidationError as error:
        status = CONFLICT if isinstance(error, StaleEdit) else 400
        program.refresh_from_db()
        form.data = form.data.copy()
        form.data["version"] = program.version
        return _sections_page(request, program, arrange=form, status=status,
                              error=" ".join(error.messages))
    messages.success(request, _("The targets and tasks were placed in their sections."))
    return redirect("plans:program", pk=program.pk)


def _writable_section(request, pk):
    section = get_object_or_404(
        ProgramSection.objects.filter(program__in=visible_programs(request.user))
        .select_related("program__unit"), pk=pk)
    if not may_write(request.user, section.program.unit):
        raise PermissionDenied
    return section


@login_required
def section_edit(request, pk):
    section = _writable_section(request, pk)
    form = SectionForm(request.POST or None, instance=section)
    status = save_edit(request, form, section, changed=changed_since, save=lambda version:
                       services.update_program_section(actor=request.user, section=section,
                                                       expected_version=version,
                                                       **form.changes()))
    if status is None:
        messages.success(request, _("The section was saved."))
        return redirect("plans:program_sections", pk=section.program_id)
    context = {"form": form, "section": section, "program": section.program,
               "trail": unit_trail(request.user, section.program.unit)}
    return render(request, "plans/section_form.html", context, status=status)


def _section_change(request, pk, change):
    section = _writable_section(request, pk)
    form = MoveForm({"version": request.POST.get("version"),
                     "direction": request.POST.get("direction", "up")})
    if not form.is_valid():
        raise BadRequest
    try:
        change(section, form.cleaned_data)
    except ValidationError as error:
        reason = " ".join(error.messages)
        if is_htmx(request):
            return _sections_page(request, section.program, error=reason)
        status = CONFLICT if isinstance(error, StaleEdit) else 400
        return _sections_page(request, section.program, status=status, error=reason)
    if is_htmx(request):
        return _sections_page(request, section.program)
    return redirect("plans:program_sections", pk=section.program_id)


@login_required
@require_POST
def section_move(request, pk):
    return _section_change(request, pk, lambda section, data: services.move_program_section(
        actor=request.user, section=section, expected_version=data["version"],
        direction=data["direction"]))


@login_required
@require_POST
def section_delete(request, pk):
    return _section_change(request, pk, lambda section, data: services.delete_program_section(
        actor=request.user, section=section, expected_version=data["version"]))
