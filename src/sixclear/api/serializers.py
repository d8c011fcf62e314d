"""What the API reads and what it accepts.

Output serializers are read-only views of the models. Input serializers only check types and
turn ids into objects (among those the caller may see); every rule and every write stays in the
services, which the views call with the validated data.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sixclear.changes.models import ChangeKind, ChangeRequest
from sixclear.monitoring.models import TargetHealth, TaskHealth
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import visible_units
from sixclear.plans.models import (
    Direction,
    Program,
    ProgramKind,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionStatus,
    Target,
    TargetKind,
    TrajectoryPoint,
)
from sixclear.plans.selectors import visible_resolutions, visible_targets
from sixclear.references import NOT_FOUND
from sixclear.tracking.models import (
    SIX_CLEARS,
    Evidence,
    Measurement,
    PeriodKind,
    Priority,
    ProgressReport,
    Task,
    TaskStep,
)
from sixclear.tracking.selectors import visible_tasks

YEAR = {"min_value": 1900, "max_value": 2200}
# The dates a caller may write: the years periodic reports cover (reports.periods). Anything
# earlier or later is a slip or a probe; the services keep their own, narrower rules.
EARLIEST_DATE, LATEST_DATE = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
SIX_CLEAR_KEYS = [key for key, _label in SIX_CLEARS]


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id among the rows `scope(user)` returns for the caller; others do not exist for them.

    A missing id is answered with the services' words for a row the caller may not point at,
    so that the two answers cannot be told apart."""

    default_error_messages = {"does_not_exist": NOT_FOUND}

    def __init__(self, scope=None, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        if self.scope is None:
            return super().get_queryset()
        return self.scope(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or not 0 < data < 2**63:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def people():
    return get_user_model().objects.filter(is_active=True)


def person_field(**kwargs):
    return ScopedPrimaryKey(queryset=people(), **kwargs)


class BoundedDate(serializers.DateField):
    """An ISO date between EARLIEST_DATE and LATEST_DATE."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(
                _("Write a date between %(earliest)s and %(latest)s.") % {
                    "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})
        return day


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault(
            "help_text", _("The version you read; a stale version answers 409 and saves nothing.")
        )
        super().__init__(**kwargs)


# Output


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "is_active", "depth", "parent", "version"]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resolution
        fields = ["id", "unit", "number", "title", "issuing_body", "term_start", "term_end",
                  "status", "adopted_on", "summary", "version"]
        read_only_fields = fields


class ProgramSectionSerializer(serializers.ModelSerializer):
    """A part of a program (A, B, C …) and the targets it holds, in the program's order."""

    targets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ProgramSection
        fields = ["id", "position", "code", "title", "summary", "targets", "version"]
        read_only_fields = fields


class ProgramSerializer(serializers.ModelSerializer):
    sections = ProgramSectionSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = ["id", "unit", "resolution", "kind", "number", "title", "issuing_body",
                  "period_start", "period_end", "issued_on", "summary", "sections", "version"]
        read_only_fields = fields


class TrajectoryPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrajectoryPoint
        fields = ["year", "expected_value", "expected_high"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    trajectory = TrajectoryPointSerializer(many=True, read_only=True)
    status = serializers.CharField(source="health.status", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "unit", "code", "name", "resolution", "programs", "group", "kind",
                  "direction", "unit_of_measure", "baseline_value", "baseline_year",
                  "target_value", "annual_rate", "annual_rate_high", "target_year",
                  "responsible_unit", "responsible_person", "trajectory_is_custom",
                  "trajectory", "status", "version"]
        read_only_fields = fields


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "target", "period_kind", "year", "period_number", "value", "source",
                  "note", "status", "submitted_at", "reported_by", "reviewed_by", "reviewed_at",
                  "review_comment", "version"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    missing_clears = serializers.SerializerMethodField(
        help_text=format_lazy(_("Which of the six clears are missing, among: {keys}."),
                              keys=", ".join(SIX_CLEAR_KEYS))
    )
    status = serializers.CharField(source="health.status", read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "unit", "code", "title", "description", "owner", "lead_unit",
                  "coordinating_units", "start_date", "deadline", "expected_result",
                  "authority", "authority_body", "resolution", "program", "task_group",
                  "targets", "parent", "priority", "state", "percent_complete", "issued_at",
                  "completed_on", "created_at", "missing_clears", "status", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(SIX_CLEAR_KEYS)))
    def get_missing_clears(self, task):
        return task.missing_clears()


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskStep
        fields = ["id", "task", "position", "title", "due_date", "done", "done_on", "version"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "reported_by", "report_date", "percent", "narrative",
                  "obstacles", "has_obstacles", "status", "submitted_at", "reviewed_by",
                  "reviewed_at", "review_comment", "evidence", "version"]
        read_only_fields = fields


class ChangeRequestSerializer(serializers.ModelSerializer):
    original = serializers.SerializerMethodField()
    proposed = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = ["id", "kind", "task", "target", "original", "proposed", "reason",
                  "requested_by", "requested_at", "status", "decided_by", "decided_at",
                  "decision_comment", "version"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_original(self, change):
        return change.original

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_proposed(self, change):
        return change.proposed


class TaskHealthSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskHealth
        fields = ["task", "status", "stale", "last_report_date", "last_percent",
                  "has_open_obstacle", "late_steps", "changed_on"]
        read_only_fields = fields


class TargetHealthSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetHealth
        fields = ["target", "status", "year", "period_kind", "period_number", "actual",
                  "expected", "expected_high", "gap", "gap_percent", "changed_on"]
        read_only_fields = fields


# Input


def text(max_length, required=False, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=required, allow_blank=not required, **kwargs
    )


def decimal(max_digits=20, decimal_places=4, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(max_digits=max_digits, decimal_places=decimal_places,
                                    **kwargs)


class ResolutionCreate(serializers.Serializer):
    unit = ScopedPrimaryKey(scope=visible_units)
    number = text(60, required=True)
    title = text(500, required=True)
    term_start = serializers.IntegerField(**YEAR)
    term_end = serializers.IntegerField(**YEAR)
    issuing_body = text(300)
    status = serializers.ChoiceField(ResolutionStatus.choices, required=False)
    adopted_on = BoundedDate(required=False, allow_null=True)
    summary = text(20000)


class ProgramCreate(serializers.Serializer):
    unit = ScopedPrimaryKey(scope=visible_units)
    resolution = ScopedPrimaryKey(scope=visible_resolutions, required=False, allow_null=True)
    kind = serializers.ChoiceField(ProgramKind.choices)
    number = text(60, required=True)
    title = text(500, required=True)
    period_start = BoundedDate()
    period_end = BoundedDate()
    issued_on = BoundedDate(required=False, allow_null=True)
    issuing_body = text(300)
    summary = text(20000)


class TargetFields(serializers.Serializer):
    code = text(40, required=True)
    name = text(500, required=True)
    resolution = ScopedPrimaryKey(queryset=Resolution.objects.all(), required=False,
                                  allow_null=True)
    group = text(200)
    kind = serializers.ChoiceField(TargetKind.choices)
    direction = serializers.ChoiceField(Direction.choices, required=False)
    unit_of_measure = text(60)
    baseline_value = decimal(required=True, allow_null=False)
    baseline_year = serializers.IntegerField(**YEAR)
    target_value = decimal()
    annual_rate = decimal(8, 3)
    annual_rate_high = decimal(8, 3)
    target_year = serializers.IntegerField(**YEAR)
    responsible_unit = ScopedPrimaryKey(queryset=Unit.objects.all(), required=False,
                                        allow_null=True)
    responsible_person = person_field(required=False, allow_null=True)


class TargetCreate(TargetFields):
    unit = ScopedPrimaryKey(scope=visible_units)
    programs = ScopedPrimaryKey(queryset=Program.objects.all(), many=True, required=False)


class TargetUpdate(TargetFields):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class MeasurementCreate(serializers.Serializer):
    target = ScopedPrimaryKey(scope=visible_targets)
    year = serializers.IntegerField(**YEAR)
    period_kind = serializers.ChoiceField(PeriodKind.choices, required=False,
                                          default=PeriodKind.YEAR)
    period_number = serializers.IntegerField(min_value=0, max_value=12, required=False,
                                             default=0)
    value = decimal(required=True, allow_null=False)
    source = text(300)
    note = text(20000)
    submit = serializers.BooleanField(required=False, default=True)


class Review(serializers.Serializer):
    version = VersionField()
    approve = serializers.BooleanField()
    comment = text(20000)


class TaskFields(serializers.Serializer):
    code = text(60)
    title = text(500)
    description = text(20000)
    owner = person_field(required=False, allow_null=True)
    lead_unit = ScopedPrimaryKey(queryset=Unit.objects.all(), required=False, allow_null=True)
    coordinating_units = ScopedPrimaryKey(queryset=Unit.objects.all(), many=True,
                                          required=False)
    start_date = BoundedDate(required=False, allow_null=True)
    deadline = BoundedDate(required=False, allow_null=True)
    expected_result = text(20000)
    authority = person_field(required=False, allow_null=True)
    authority_body = text(300)
    resolution = ScopedPrimaryKey(queryset=Resolution.objects.all(), required=False,
                                  allow_null=True)
    program = ScopedPrimaryKey(queryset=Program.objects.all(), required=False, allow_null=True)
    task_group = ScopedPrimaryKey(queryset=ResolutionItem.objects.all(), required=False,
                                  allow_null=True)
    targets = ScopedPrimaryKey(queryset=Target.objects.all(), many=True, required=False)
    parent = ScopedPrimaryKey(scope=visible_tasks, required=False, allow_null=True)
    priority = serializers.ChoiceField(Priority.choices, required=False)


class TaskCreate(TaskFields):
    unit = ScopedPrimaryKey(scope=visible_units)
    title = text(500, required=True)


class TaskUpdate(TaskFields):
    version = VersionField()


class VersionOnly(serializers.Serializer):
    version = VersionField()


class Cancel(serializers.Serializer):
    version = VersionField()
    reason = text(20000, required=True)


class StepCreate(serializers.Serializer):
    task = ScopedPrimaryKey(scope=visible_tasks)
    title = text(300, required=True)
    due_date = BoundedDate(required=False, allow_null=True)


class StepDone(serializers.Serializer):
    version = VersionField()
    done = serializers.BooleanField(required=False, default=True)


class ProgressReportCreate(serializers.Serializer):
    task = ScopedPrimaryKey(scope=visible_tasks)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    narrative = text(20000, required=True)
    obstacles = text(20000)
    report_date = BoundedDate(required=False, allow_null=True)
    submit = serializers.BooleanField(required=False, default=True)


class ChangeRequestCreate(serializers.Serializer):
    kind = serializers.ChoiceField(ChangeKind.choices)
    task = ScopedPrimaryKey(scope=visible_tasks, required=False, allow_null=True)
    target = ScopedPrimaryKey(scope=visible_targets, required=False, allow_null=True)
    proposed = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_null=True, allow_blank=True),
        help_text=_("The new values by field name, e.g. {\"deadline\": \"2026-12-31\"}."),
    )
    reason = text(20000, required=True)

    def validate(self, attrs):
        if (attrs.get("task") is None) == (attrs.get("target") is None):
            raise serializers.ValidationError(
                _("Name exactly one task or one target.")
            )
        return attrs


class Decision(Review):
    pass



# Rollups (sixclear.dashboards.selectors)


def rate():
    return serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                    read_only=True, coerce_to_string=False)


class TaskFiguresSerializer(serializers.Serializer):
    drafts = serializers.IntegerField()
    open = serializers.IntegerField()
    done = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    not_started = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    late = serializers.IntegerField()
    stale = serializers.IntegerField()
    obstacles = serializers.IntegerField()
    assigned = serializers.IntegerField()
    unassessed = serializers.IntegerField()
    on_time_rate = rate()


class TargetFiguresSerializer(serializers.Serializer):
    targets = serializers.IntegerField()
    on_track = serializers.IntegerField()
    behind = serializers.IntegerField()
    off_track = serializers.IntegerField()
    no_data = serializers.IntegerField()
    on_track_rate = rate()


class SubUnitRollupSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    tasks = TaskFiguresSerializer()
    targets = TargetFiguresSerializer()


class RollupSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    tasks = TaskFiguresSerializer(help_text=_("The unit and everything below it."))
    targets = TargetFiguresSerializer(help_text=_("The unit and everything below it."))
    sub_units = SubUnitRollupSerializer(many=True, source="league")
