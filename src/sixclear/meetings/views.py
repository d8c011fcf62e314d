"""The obstacle register and meeting pages. Thin: fetch through the visible_* selectors (a
record one may not see answers 404), call a service, render; services raise PermissionDenied
(403) and ValidationError (shown on the form; a stale edit answers 409 with the input kept)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import unit_trail, visible_units
from sixclear.plans.selectors import visible_targets
from sixclear.tracking.models import TaskState
from sixclear.tracking.rules import task_reference_choices
from sixclear.tracking.selectors import visible_tasks
from sixclear.versioning import StaleEdit

from . import selectors, services
from .forms import (
    AnswerForm,
    DecisionForm,
    ItemForm,
    ItemTaskForm,
    MeetingForm,
    MinutesForm,
    ObstacleForm,
    RouteForm,
    VersionForm,
    task_choices,
)
from .models import AgendaItem, MeetingState, ObstacleState

PER_PAGE = 30
AGES = (7, 30, 90)


def _unit(request, pk):
    return get_object_or_404(visible_units(request.user), pk=pk)


def _status(error):
    return 409 if isinstance(error, StaleEdit) else 400


def _obstacle_form(request, unit, data=None):
    tasks = (visible_tasks(request.user).filter(unit=unit, state=TaskState.ISSUED)
             .order_by("deadline", "pk")[:200])
    targets = visible_targets(request.user).filter(unit=unit).order_by("code")[:200]
    return ObstacleForm(data, tasks=tasks, targets=targets)


def _register_page(request, unit, form=None, status=200):
    state = request.GET.get("state", "")
    older = request.GET.get("older_than", "")
    older_than = int(older) if older.isdigit() and int(older) in AGES else None
    sub_units = request.GET.get("include_sub_units") == "on"
    waiting_here = request.GET.get("waiting_here") == "on"
    rows = selectors.register(request.user, unit, state=state, older_than=older_than,
                              include_sub_units=sub_units, waiting_here=waiting_here)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    may_raise = selectors.reaches(request.user, unit, Role.OFFICER)
    query = {k: v for k, v in (("state", state), ("older_than", older),
                               ("include_sub_units", "on" if sub_units else ""),
                               ("waiting_here", "on" if waiting_here else "")) if v}
    return render(request, "meetings/register.html", {
        "unit": unit, "trail": unit_trail(request.user, unit)[:-1], "page": page,
        "figures": selectors.obstacle_figures(unit), "age_bands": selectors.AGE_BANDS,
        "states": ObstacleState.choices, "state": state, "older_than": older_than,
        "ages": AGES, "include_sub_units": sub_units, "waiting_here": waiting_here,
        "extra_query": urlencode(query),
        "form": form or (_obstacle_form(request, unit) if may_raise else None),
    }, status=status)


@login_required
def register(request, pk):
    unit = _unit(request, pk)
    if request.method != "POST":
        return _register_page(request, unit)
    form = _obstacle_form(request, unit, request.POST)
    if form.is_valid():
        try:
            obstacle = services.raise_obstacle(
                actor=request.user, description=form.cleaned_data["description"],
                help_asked=form.cleaned_data["help_asked"], **form.subject())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The obstacle was recorded; the unit's managers are "
                                        "told."))
            return redirect("meetings:obstacle", obstacle.pk)
    return _register_page(request, unit, form, status=400)


def _obstacle_page(request, obstacle, forms=None, status=200):
    forms = forms or {}
    user = request.user
    level = services.level_of(obstacle)
    waiting = obstacle.is_waiting
    context = {
        "obstacle": obstacle, "unit": obstacle.unit, "level": level,
        "trail": unit_trail(user, obstacle.unit),
        "chain": selectors.obstacle_chain(obstacle),
        "days_open": obstacle.days_open(),
        "history": obstacle.history.select_related("history_user").order_by("-history_date",
                                                                            "-history_id")[:20],
    }
    if waiting and services.may_route(user, obstacle):
        context["route_form"] = forms.get("route") or RouteForm(
            initial={"version": obstacle.version}, units=services.routing_choices(obstacle))
        context["escalate_form"] = forms.get("escalate") or VersionForm(
            initial={"version": obstacle.version})
    if waiting and services.may_answer(user, obstacle):
        context["answer_form"] = forms.get("answer") or AnswerForm(
            initial={"version": obstacle.version})
    if obstacle.state == ObstacleState.ANSWERED and services.may_resolve(user, obstacle):
        context["resolve_form"] = forms.get("resolve") or VersionForm(
            initial={"version": obstacle.version})
    return render(request, "meetings/obstacle.html", context, status=status)


@login_required
def obstacle(request, pk):
    found = get_object_or_404(selectors.visible_obstacles(request.user)
                              .select_related("unit", "must_act", "task", "target",
                                              "reported_by", "answered_by", "report"), pk=pk)
    return _obstacle_page(request, found)


@login_required
@require_POST
def obstacle_action(request, pk, action):
    found = get_object_or_404(selectors.visible_obstacles(request.user)
                              .select_related("unit", "must_act"), pk=pk)
    if action == "route":
        form = RouteForm(request.POST, units=services.routing_choices(found))
    elif action == "answer":
        form = AnswerForm(request.POST)
    elif action in ("resolve", "escalate"):
        form = VersionForm(request.POST)
    else:
        raise Http404
    if not form.is_valid():
        return _obstacle_page(request, found, {action: form}, status=400)
    version = form.cleaned_data["version"]
    try:
        if action == "route":
            services.route_obstacle(actor=request.user, obstacle=found, expected_version=version,
                                    must_act=form.cleaned_data["must_act"])
        elif action == "answer":
            services.answer_obstacle(actor=request.user, obstacle=found,
                                     expected_version=version,
                                     answer=form.cleaned_data["answer"])
        elif action == "resolve":
            services.resolve_obstacle(actor=request.user, obstacle=found,
                                      expected_version=version)
        else:
            services.escalate_obstacle(actor=request.user, obstacle=found,
                                       expected_version=version)
    except ValidationError as error:
        if hasattr(form, "add_service_error"):
            form.add_service_error(error)
        else:
            messages.error(request, " ".join(error.messages))
        found.refresh_from_db()
        return _obstacle_page(request, found, {action: form}, status=_status(error))
    messages.success(request, _("Saved."))
    return redirect("meetings:obstacle", found.pk)


def _meeting_form(unit, data=None):
    return MeetingForm(data, units=visible_units_below(unit),
                       people=services.attendee_choices(unit))


def visible_units_below(unit):
    return Unit.objects.filter(path__startswith=unit.path, is_active=True).exclude(
        pk=unit.pk).order_by("path")


@login_required
def meetings(request, pk):
    unit = _unit(request, pk)
    may_schedule = selectors.reaches(request.user, unit, Role.MANAGER)
    form = None
    if request.method == "POST":
        form = _meeting_form(unit, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.schedule_meeting(
                    actor=request.user, unit=unit, kind=data["kind"], title=data["title"],
                    held_on=data["held_on"], topic=data["topic"], with_unit=data["with_unit"],
                    attendees=data["attendees"], starts_at=data["starts_at"],
                    place=data["place"])
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The meeting was scheduled and its agenda drafted."))
                return redirect("meetings:meeting", meeting.pk)
    elif may_schedule:
        form = _meeting_form(unit)
    page = Paginator(selectors.unit_meetings(request.user, unit), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "meetings/meetings.html", {
        "unit": unit, "trail": unit_trail(request.user, unit)[:-1], "page": page,
        "form": form if (may_schedule or request.method == "POST") else None,
        "measures": selectors.less_meeting_measures(unit),
    }, status=400 if request.method == "POST" else 200)


def _visible_meeting(request, pk):
    return get_object_or_404(selectors.visible_meetings(request.user)
                             .select_related("unit", "with_unit", "organiser", "conclusion"),
                             pk=pk)


def _meeting_page(request, meeting, forms=None, status=200, created=None):
    forms = forms or {}
    user = request.user
    may_manage = selectors.reaches(user, meeting.unit, Role.MANAGER)
    in_progress = meeting.state == MeetingState.IN_PROGRESS
    items = selectors.meeting_items(meeting)
    choices = task_choices(task_reference_choices(meeting.unit)) if (
        may_manage and in_progress and any(not item.in_appendix for item in items)) else None
    rows = []
    for item in items:
        row = {"item": item}
        # Routine progress is not discussed: its appendix carries no decision forms.
        if may_manage and in_progress and not item.in_appendix:
            row["decision_form"] = forms.get(("decide", item.pk)) or DecisionForm(
                initial={"version": item.version, "notes": item.notes},
                prefix=f"item-{item.pk}", decisions=services.DECISIONS_FOR[item.kind])
            row["task_form"] = forms.get(("task", item.pk)) or ItemTaskForm(
                prefix=f"task-{item.pk}", choices=choices)
        rows.append(row)
    attendees = selectors.meeting_attendees(meeting)
    mine = next((a for a in attendees if a.person_id == user.pk), None)
    return render(request, "meetings/meeting.html", {
        "meeting": meeting, "unit": meeting.unit, "trail": unit_trail(user, meeting.unit),
        "main": [row for row in rows if not row["item"].in_appendix],
        "appendix": [row for row in rows if row["item"].in_appendix],
        "attendees": attendees, "may_manage": may_manage and not meeting.is_closed,
        "version_form": VersionForm(initial={"version": meeting.version}),
        "item_form": forms.get("item") or ItemForm(),
        "minutes_form": (forms.get("minutes") or MinutesForm()) if (
            mine and meeting.is_closed and not mine.confirmed_at) else None,
        "created": created,
        "all_confirmed": attendees and all(a.confirmed_at for a in attendees),
    }, status=status)


@login_required
def meeting(request, pk):
    return _meeting_page(request, _visible_meeting(request, pk))


MEETING_ACTIONS = {"open": services.open_meeting, "start": services.start_meeting,
                   "close": services.close_meeting}


@login_required
@require_POST
def meeting_action(request, pk, action):
    found = _visible_meeting(request, pk)
    try:
        if action in MEETING_ACTIONS:
            form = VersionForm(request.POST)
            if not form.is_valid():
                raise BadRequest
            MEETING_ACTIONS[action](actor=request.user, meeting=found,
                                    expected_version=form.cleaned_data["version"])
        elif action == "redraft":
            services.redraft_agenda(actor=request.user, meeting=found)
        elif action == "item":
            form = ItemForm(request.POST)
            if not form.is_valid():
                return _meeting_page(request, found, {"item": form}, status=400)
            services.add_item(actor=request.user, meeting=found,
                              title=form.cleaned_data["title"])
        elif action == "confirm":
            form = MinutesForm(request.POST)
            form.is_valid()
            services.confirm_minutes(actor=request.user, meeting=found,
                                     amendment=form.cleaned_data.get("amendment", ""))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        found.refresh_from_db()
        return _meeting_page(request, found, status=_status(error))
    messages.success(request, _("Saved."))
    return redirect("meetings:meeting", found.pk)


def _visible_item(request, pk):
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__in=selectors.visible_meetings(request.user))
        .select_related("meeting", "meeting__unit", "obstacle", "change"), pk=pk)


@login_required
@require_POST
def item_decide(request, pk):
    item = _visible_item(request, pk)
    form = DecisionForm(request.POST, prefix=f"item-{item.pk}",
                        decisions=services.DECISIONS_FOR[item.kind])
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"]:
                services.decide_item(actor=request.user, item=item,
                                     expected_version=data["version"],
                                     decision=data["decision"], text=data["text"],
                                     notes=data["notes"])
            else:
                services.note_item(actor=request.user, item=item,
                                   expected_version=data["version"], notes=data["notes"])
        except ValidationError as error:
            form.add_service_error(error)
            item.meeting.refresh_from_db()
            return _meeting_page(request, item.meeting, {("decide", item.pk): form},
                                 status=_status(error))
        messages.success(request, _("The decision was recorded."))
        return redirect(f"{_meeting_url(item)}#item-{item.pk}")
    return _meeting_page(request, item.meeting, {("decide", item.pk): form}, status=400)


def _meeting_url(item):
    return reverse("meetings:meeting", args=[item.meeting_id])


@login_required
@require_POST
def item_task(request, pk):
    item = _visible_item(request, pk)
    form = ItemTaskForm(request.POST, prefix=f"task-{item.pk}",
                        choices=task_choices(task_reference_choices(item.meeting.unit)))
    if form.is_valid():
        try:
            task, missing = services.create_item_task(actor=request.user, item=item,
                                                      **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if missing:
                messages.warning(request, _(
                    "The task was kept as a draft: it cannot be issued until its six clears "
                    "are complete. Missing: %(missing)s") % {"missing": "; ".join(missing)})
            else:
                messages.success(request, _("The task was created and issued."))
            return redirect(f"{_meeting_url(item)}#item-{item.pk}")
    item.meeting.refresh_from_db()
    return _meeting_page(request, item.meeting, {("task", item.pk): form}, status=400)
