"""The API's endpoints. Reads go through the access selectors, writes through the services.

Each viewset fetches through a `visible_*` selector, so a row the caller may not see answers
404 exactly like a row that does not exist; the services check roles (403), validate every
field (400) and refuse stale versions (409).
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Left, Length
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sixclear.accounts.services import preferred_language
from sixclear.changes import services as changes
from sixclear.changes.selectors import visible_change_requests
from sixclear.dashboards import selectors as dashboards
from sixclear.monitoring.models import TargetHealth, TaskHealth
from sixclear.orgs.models import Unit
from sixclear.orgs.selectors import visible_units
from sixclear.plans import selectors as plans_selectors
from sixclear.plans import services as plans
from sixclear.tracking import selectors as tracking_selectors
from sixclear.tracking import services as tracking

from . import filters, serializers
from .idempotency import idempotent
from .models import ApiToken

ID_PATTERN = r"[0-9]{1,18}"


def use_language(request):
    """The language asked for in Accept-Language, else the caller's stored choice.

    A session already carries the person's choice (accounts.middleware); a token does not, so
    it is read here, after authentication.
    """
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return
    if isinstance(request.auth, ApiToken):
        language = preferred_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language


class ApiViewSet(viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    ordering = ("id",)
    ordering_fields = ("id",)
    output = None  # the read serializer
    inputs = {}  # action name → input serializer

    def initial(self, request, *args, **kwargs):
        request.user  # noqa: B018 — authenticate now, so the person's language applies
        use_language(request)
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        return self.inputs.get(self.action, self.output)

    def validated(self, serializer_class=None):
        serializer = (serializer_class or self.get_serializer_class())(
            data=self.request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def show(self, instance, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        headers = {}
        if code == status.HTTP_201_CREATED:
            headers["Location"] = reverse(f"api:{self.basename}-detail", args=[instance.pk])
        return Response(self.output(fresh, context=self.get_serializer_context()).data,
                        status=code, headers=headers)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


def documented(output, **actions):
    """Document each write action with its input serializer and the read serializer answer."""
    def decorate(cls):
        for name, (request, code) in actions.items():
            view = getattr(cls, name)
            extend_schema(request=request, responses={code: output})(view)
        return cls
    return decorate


class UnitViewSet(ReadOnly):
    """Units of the organisation tree the caller may see (their units and everything below)."""

    output = serializers.UnitSerializer
    filterset_class = filters.UnitFilter
    ordering_fields = ("id", "code", "name", "depth")

    def get_queryset(self):
        parent = Unit.objects.filter(
            path=Left(OuterRef("path"), Length(OuterRef("path")) - Unit.steplen)
        ).values("pk")[:1]
        return visible_units(self.request.user).annotate(parent_id=Subquery(parent)).order_by()

    @extend_schema(responses=serializers.RollupSerializer, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rollup(self, request, *args, **kwargs):
        """Task and target figures of the unit's whole subtree, and of each direct sub-unit
        (the dashboards' rollups, kept current by every write and by the monitoring scan)."""
        unit = self.get_object()
        figures = dashboards.overview(unit)
        return Response(serializers.RollupSerializer({
            "unit": unit, "tasks": figures.tasks, "targets": figures.targets,
            "league": figures.league,
        }).data)


@documented(serializers.ResolutionSerializer, create=(serializers.ResolutionCreate, 201))
class ResolutionViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.ResolutionSerializer
    inputs = {"create": serializers.ResolutionCreate}
    filterset_class = filters.ResolutionFilter
    ordering_fields = ("id", "number", "term_start")

    def get_queryset(self):
        return plans_selectors.visible_resolutions(self.request.user).order_by()

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        resolution = plans.create_resolution(actor=request.user, **data)
        return self.show(resolution, status.HTTP_201_CREATED)


@documented(serializers.ProgramSerializer, create=(serializers.ProgramCreate, 201))
class ProgramViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.ProgramSerializer
    inputs = {"create": serializers.ProgramCreate}
    filterset_class = filters.ProgramFilter
    ordering_fields = ("id", "number", "period_start")

    def get_queryset(self):
        return plans_selectors.visible_programs(self.request.user).order_by().prefetch_related(
            plans_selectors.sections_with_targets())

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        program = plans.create_program(actor=request.user, **data)
        return self.show(program, status.HTTP_201_CREATED)


@documented(serializers.TargetSerializer, create=(serializers.TargetCreate, 201),
            partial_update=(serializers.TargetUpdate, 200))
class TargetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnly):
    output = serializers.TargetSerializer
    inputs = {"create": serializers.TargetCreate, "partial_update": serializers.TargetUpdate}
    filterset_class = filters.TargetFilter
    ordering_fields = ("id", "code", "target_year")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            plans_selectors.visible_targets(self.request.user)
            .select_related("health")
            .prefetch_related("programs", "trajectory")
            .order_by()
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        target = plans.create_target(actor=request.user, **data)
        return self.show(target, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        data = self.validated()
        version = data.pop("version")
        plans.update_target(actor=request.user, target=target, expected_version=version, **data)
        return self.show(target)


@documented(serializers.MeasurementSerializer, create=(serializers.MeasurementCreate, 201),
            review=(serializers.Review, 200))
class MeasurementViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.MeasurementSerializer
    inputs = {"create": serializers.MeasurementCreate, "review": serializers.Review}
    filterset_class = filters.MeasurementFilter
    ordering_fields = ("id", "year")

    def get_queryset(self):
        return tracking_selectors.visible_measurements(self.request.user).order_by()

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        measurement = tracking.record_measurement(actor=request.user, **data)
        return self.show(measurement, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @idempotent
    def review(self, request, *args, **kwargs):
        """Approve or return a submitted value (a manager of the target's unit)."""
        measurement = self.get_object()
        data = self.validated()
        tracking.review_measurement(
            actor=request.user, measurement=measurement, expected_version=data["version"],
            approve=data["approve"], comment=data.get("comment", ""),
        )
        return self.show(measurement)


@documented(serializers.TaskSerializer, create=(serializers.TaskCreate, 201),
            partial_update=(serializers.TaskUpdate, 200), issue=(serializers.VersionOnly, 200),
            cancel=(serializers.Cancel, 200))
class TaskViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnly):
    """Tasks with the six clears. A draft may have gaps; issuing refuses until all six are
    clear and names each one missing."""

    output = serializers.TaskSerializer
    inputs = {"create": serializers.TaskCreate, "partial_update": serializers.TaskUpdate,
              "issue": serializers.VersionOnly, "cancel": serializers.Cancel}
    filterset_class = filters.TaskFilter
    ordering_fields = ("id", "created_at", "title", "percent_complete")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            tracking_selectors.visible_tasks(self.request.user)
            .select_related("health")
            .prefetch_related("coordinating_units", "targets")
            .order_by()
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        task = tracking.create_task(actor=request.user, **data)
        return self.show(task, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        data = self.validated()
        version = data.pop("version")
        tracking.update_task(actor=request.user, task=task, expected_version=version, **data)
        return self.show(task)

    @action(detail=True, methods=["post"])
    @idempotent
    def issue(self, request, *args, **kwargs):
        """Issue a draft: refused (400), naming each missing clear, unless all six are clear."""
        task = self.get_object()
        data = self.validated()
        tracking.issue_task(actor=request.user, task=task, expected_version=data["version"])
        return self.show(task)

    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, *args, **kwargs):
        """Cancel a task with a reason (a leader of its unit)."""
        task = self.get_object()
        data = self.validated()
        tracking.cancel_task(actor=request.user, task=task, expected_version=data["version"],
                             reason=data["reason"])
        return self.show(task)


@documented(serializers.StepSerializer, create=(serializers.StepCreate, 201),
            done=(serializers.StepDone, 200))
class StepViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.StepSerializer
    inputs = {"create": serializers.StepCreate, "done": serializers.StepDone}
    filterset_class = filters.StepFilter
    ordering_fields = ("id", "position")

    def get_queryset(self):
        return tracking_selectors.visible_steps(self.request.user).order_by()

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        step = tracking.add_step(actor=request.user, **data)
        return self.show(step, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @idempotent
    def done(self, request, *args, **kwargs):
        """Mark a step done (or not done again): the task's owner or a manager."""
        step = self.get_object()
        data = self.validated()
        tracking.complete_step(actor=request.user, step=step, expected_version=data["version"],
                               done=data["done"])
        return self.show(step)


@documented(serializers.ProgressReportSerializer,
            create=(serializers.ProgressReportCreate, 201), review=(serializers.Review, 200))
class ProgressReportViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.ProgressReportSerializer
    inputs = {"create": serializers.ProgressReportCreate, "review": serializers.Review}
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ("id", "report_date")

    def get_queryset(self):
        return (
            tracking_selectors.visible_reports(self.request.user)
            .prefetch_related("evidence")
            .order_by()
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        report = tracking.report_progress(actor=request.user, **data)
        return self.show(report, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @idempotent
    def review(self, request, *args, **kwargs):
        """Approve or return a submitted report; an approved report moves the task's percent."""
        report = self.get_object()
        data = self.validated()
        tracking.review_progress_report(
            actor=request.user, report=report, expected_version=data["version"],
            approve=data["approve"], comment=data.get("comment", ""),
        )
        return self.show(report)


@documented(serializers.ChangeRequestSerializer,
            create=(serializers.ChangeRequestCreate, 201), decide=(serializers.Decision, 200))
class ChangeRequestViewSet(mixins.CreateModelMixin, ReadOnly):
    output = serializers.ChangeRequestSerializer
    inputs = {"create": serializers.ChangeRequestCreate, "decide": serializers.Decision}
    filterset_class = filters.ChangeRequestFilter
    ordering_fields = ("id", "requested_at")

    def get_queryset(self):
        return visible_change_requests(self.request.user).order_by()

    @idempotent
    def create(self, request, *args, **kwargs):
        data = self.validated()
        change = changes.request_change(actor=request.user, **data)
        return self.show(change, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, *args, **kwargs):
        """Approve (the change is applied) or reject with a reason: the approving authority."""
        change = self.get_object()
        data = self.validated()
        changes.decide_change(
            actor=request.user, change=change, expected_version=data["version"],
            approve=data["approve"], comment=data.get("comment", ""),
        )
        return self.show(change)


class TaskStatusViewSet(ReadOnly):
    """The computed status of each visible task (written by the monitoring scan)."""

    output = serializers.TaskHealthSerializer
    filterset_class = filters.TaskHealthFilter
    ordering = ("pk",)
    ordering_fields = ("pk", "changed_on")

    def get_queryset(self):
        return TaskHealth.objects.filter(
            task__in=tracking_selectors.visible_tasks(self.request.user)
        ).order_by()


class TargetStatusViewSet(ReadOnly):
    """The computed status of each visible target (written by the monitoring scan)."""

    output = serializers.TargetHealthSerializer
    filterset_class = filters.TargetHealthFilter
    ordering = ("pk",)
    ordering_fields = ("pk", "changed_on")

    def get_queryset(self):
        return TargetHealth.objects.filter(
            target__in=plans_selectors.visible_targets(self.request.user)
        ).order_by()
