"""Work procedures and their cases in the API, for systems that already handle the cases (a
one-stop shop's dossier system, a petitions register): Sixclear then only monitors them.

`POST /cases/` records one case where that system has it (created, or brought up to date by
its reference); `POST /cases/bulk/` records up to 500 at once, all or nothing, naming each bad
field as `cases.<index>.<field>`. Reads are scoped like the pages: a case or procedure the
caller may not see answers 404 like a missing one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sixclear.orgs.selectors import visible_units
from sixclear.procedures import selectors, services
from sixclear.procedures.models import Case, CaseStep, Procedure, ProcedureStep

from .idempotency import idempotent
from .serializers import BoundedDate, ScopedPrimaryKey, text
from .views import ReadOnly

MAX_BULK = 500


class ProcedureStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["position", "name", "role", "days", "records"]


class ProcedureSerializer(serializers.ModelSerializer):
    current_version = serializers.SerializerMethodField()
    effective_from = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["id", "unit", "code", "name", "owner", "shared_below", "objectives",
                  "current_version", "effective_from", "steps", "version"]

    def _current(self, procedure):
        versions = list(procedure.versions.all())  # prefetched, newest first
        return versions[0] if versions else None

    def get_current_version(self, procedure) -> int | None:
        current = self._current(procedure)
        return current.number if current else None

    def get_effective_from(self, procedure) -> str | None:
        current = self._current(procedure)
        return current.effective_from.isoformat() if current else None

    @extend_schema(responses=ProcedureStepSerializer(many=True))
    def get_steps(self, procedure) -> list:
        current = self._current(procedure)
        return ProcedureStepSerializer(current.steps.all(), many=True).data if current else []


class CaseStepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="step.name")

    class Meta:
        model = CaseStep
        fields = ["position", "name", "state", "handler", "started_on", "due_date", "done_on",
                  "on_time", "working_days"]


class CaseSerializer(serializers.ModelSerializer):
    procedure = serializers.IntegerField(source="procedure_version.procedure_id")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    steps = CaseStepSerializer(many=True)
    on_time = serializers.BooleanField(allow_null=True)

    class Meta:
        model = Case
        fields = ["id", "unit", "procedure", "procedure_version", "reference", "subject",
                  "applicant", "opened_on", "due_date", "closed_on", "state", "on_time",
                  "recorded_elsewhere", "steps", "version"]


class CaseRecord(serializers.Serializer):
    unit = ScopedPrimaryKey(scope=visible_units)
    procedure = ScopedPrimaryKey(scope=selectors.visible_procedures)
    reference = text(60, required=True)
    subject = text(500, required=True)
    applicant = text(300)
    opened_on = BoundedDate()
    steps_done_on = serializers.ListField(child=BoundedDate(), required=False, default=list,
                                          max_length=50)


class CaseBulk(serializers.Serializer):
    cases = CaseRecord(many=True, max_length=MAX_BULK, allow_empty=False)


class ProcedureViewSet(ReadOnly):
    """Procedures the caller may see: their units' and those shared from above, each with the
    steps of its latest version."""

    output = ProcedureSerializer

    def get_queryset(self):
        return (selectors.visible_procedures(self.request.user)
                .prefetch_related("versions__steps", "objectives").order_by())


def _record(request, data):
    return services.record_case(actor=request.user, unit=data["unit"],
                                procedure=data["procedure"], reference=data["reference"],
                                subject=data["subject"], applicant=data.get("applicant", ""),
                                opened_on=data["opened_on"],
                                steps_done_on=data.get("steps_done_on", []))


class CaseViewSet(mixins.CreateModelMixin, ReadOnly):
    """Cases of the caller's units. A case is found by its unit and reference."""

    output = CaseSerializer
    inputs = {"create": CaseRecord, "bulk": CaseBulk}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.visible_cases(self.request.user)
                .select_related("procedure_version")
                .prefetch_related("steps__step").order_by())

    @extend_schema(request=CaseRecord, responses={201: CaseSerializer, 200: CaseSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        """Record a case handled in another system: created (201), or brought up to date by
        its reference (200). Each date in `steps_done_on` hands over the next step."""
        case, outcome = _record(request, self.validated())
        return self.show(case, status.HTTP_201_CREATED if outcome == "created"
                         else status.HTTP_200_OK)

    @extend_schema(request=CaseBulk, responses={200: CaseSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    @idempotent
    def bulk(self, request, *args, **kwargs):
        """Record up to 500 cases at once: all of them, or none when any is refused."""
        items = self.validated()["cases"]
        errors, cases = {}, []
        with transaction.atomic():
            for index, data in enumerate(items):
                try:
                    with transaction.atomic():
                        cases.append(_record(request, data)[0])
                except ValidationError as error:
                    messages = error.message_dict if hasattr(error, "error_dict") \
                        else {"non_field_errors": error.messages}
                    for key, words in messages.items():
                        errors[f"cases.{index}.{key}"] = words
            if errors:
                raise ValidationError(errors)  # leaves the transaction: nothing is kept
        fresh = {case.pk: case for case in self.get_queryset().filter(
            pk__in=[case.pk for case in cases])}
        return Response(CaseSerializer([fresh[case.pk] for case in cases], many=True,
                                       context=self.get_serializer_context()).data)

