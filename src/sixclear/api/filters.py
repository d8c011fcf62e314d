"""List filters (django-filter). Ids are whole numbers; bad values answer 400 naming the filter."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from sixclear.changes.models import ChangeKind, ChangeRequest, ChangeStatus
from sixclear.monitoring.models import TargetHealth, TargetStatus, TaskHealth, TaskStatus
from sixclear.orgs.models import Unit, UnitKind
from sixclear.plans.models import Program, ProgramKind, Resolution, Target, TargetKind
from sixclear.tracking.models import (
    Measurement,
    PeriodKind,
    ProgressReport,
    ReviewStatus,
    Task,
    TaskState,
    TaskStep,
)

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


def within(field):
    """Rows whose unit (through `field`) is the given unit or below it: a prefix on the path."""

    def method(queryset, name, value):
        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        return queryset.filter(**{lookup: path})

    return method


def within_filter(field="unit"):
    return IdFilter(
        method=within(field),
        help_text=_("Only rows of this unit and the units below it."),
    )


class UnitFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=UnitKind.choices)
    within = within_filter("")
    code = filters.CharFilter(max_length=40)
    name = filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = Unit
        fields = ["kind", "is_active"]


class ResolutionFilter(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    within = within_filter()
    term_start = YearFilter()

    class Meta:
        model = Resolution
        fields = []


class ProgramFilter(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    within = within_filter()
    resolution = IdFilter(field_name="resolution_id")
    kind = filters.ChoiceFilter(choices=ProgramKind.choices)

    class Meta:
        model = Program
        fields = []


class TargetFilter(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    within = within_filter()
    resolution = IdFilter(field_name="resolution_id")
    program = IdFilter(field_name="programs")
    kind = filters.ChoiceFilter(choices=TargetKind.choices)
    responsible_person = IdFilter(field_name="responsible_person_id")
    status = filters.ChoiceFilter(field_name="health__status", choices=TargetStatus.choices)

    class Meta:
        model = Target
        fields = []


class MeasurementFilter(filters.FilterSet):
    target = IdFilter(field_name="target_id")
    within = within_filter("target__unit")
    year = YearFilter()
    period_kind = filters.ChoiceFilter(choices=PeriodKind.choices)
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = Measurement
        fields = []


class TaskFilter(filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    within = within_filter()
    lead_unit = IdFilter(field_name="lead_unit_id")
    owner = IdFilter(field_name="owner_id")
    program = IdFilter(field_name="program_id")
    resolution = IdFilter(field_name="resolution_id")
    state = filters.ChoiceFilter(choices=TaskState.choices)
    status = filters.ChoiceFilter(field_name="health__status", choices=TaskStatus.choices)
    deadline_after = filters.DateFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte")
    search = filters.CharFilter(method="search_text", max_length=200)

    class Meta:
        model = Task
        fields = []

    def search_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(code__icontains=value)
            | Q(description__icontains=value)
        )


class StepFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id")
    done = filters.BooleanFilter()

    class Meta:
        model = TaskStep
        fields = []


class ProgressReportFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id")
    within = within_filter("task__unit")
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    has_obstacles = filters.BooleanFilter()

    class Meta:
        model = ProgressReport
        fields = []


class ChangeRequestFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id")
    target = IdFilter(field_name="target_id")
    kind = filters.ChoiceFilter(choices=ChangeKind.choices)
    status = filters.ChoiceFilter(choices=ChangeStatus.choices)

    class Meta:
        model = ChangeRequest
        fields = []


class TaskHealthFilter(filters.FilterSet):
    within = within_filter("task__unit")
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    stale = filters.BooleanFilter()

    class Meta:
        model = TaskHealth
        fields = []


class TargetHealthFilter(filters.FilterSet):
    within = within_filter("target__unit")
    status = filters.ChoiceFilter(choices=TargetStatus.choices)

    class Meta:
        model = TargetHealth
        fields = []
