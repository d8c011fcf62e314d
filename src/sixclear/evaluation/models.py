"""Annual evaluation: criteria sets as versioned data, rounds, subjects and their frozen lines.

A grade is a function of (criteria set version, the lines' frozen evidence, the people's
scores): `scoring.grade_round` computes it, and closing a round stores the result. A published
criteria set never changes (a change is a new version), and a round keeps the version it was
opened with, so a closed round reads the same whatever is published later.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.versioning import VersionedModel


class Level(models.TextChoices):
    """Who is evaluated: the collectives of a kind, or persons."""

    PARTY_COMMITTEE = "party_committee", _("Commune party committee")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's committee")
    DEPARTMENT = "department", pgettext_lazy("evaluation", "Department or office")
    PARTY_CELL = "party_cell", _("Party cell")
    CADRE = "cadre", _("Individual cadre or civil servant")


# The unit kinds each collective level grades; CADRE grades persons.
LEVEL_UNIT_KINDS = {
    Level.PARTY_COMMITTEE: ("commune", "ward"),
    Level.PEOPLES_COMMITTEE: ("commune", "ward"),
    Level.DEPARTMENT: ("department",),
    Level.PARTY_CELL: ("party_cell",),
}


class Grade(models.TextChoices):
    """The four grades, best first."""

    EXCELLENT = "excellent", _("Excellently completed duties")
    GOOD = "good", _("Well completed duties")
    COMPLETE = "complete", _("Completed duties")
    NOT_COMPLETE = "not_complete", _("Did not complete duties")


GRADE_RANK = {Grade.EXCELLENT: 4, Grade.GOOD: 3, Grade.COMPLETE: 2, Grade.NOT_COMPLETE: 1}


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("evaluation", "Published")


class CriteriaSet(VersionedModel):
    """The rules for one year and level. `unit` is the level above that owns it (empty for the
    sets shipped with Sixclear); a published set is frozen, a change is a new `number`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="criteria_sets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    number = models.PositiveSmallIntegerField(_("rule version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(pgettext_lazy("evaluation", "status"), max_length=10,
                              choices=SetStatus.choices, default=SetStatus.DRAFT)
    # {"grades": {grade: {"min_points", "requires": [{"criterion", "min_ratio"}], "citation"}},
    #  "caps": [{"grade", "share", "of": [grades], "citation"}],
    #  "vetoes": [{"code", "label": {lang: text}, "max_grade", "citation"}]}
    rules = models.JSONField(_("grading rules"), default=dict)
    derived_from = models.ForeignKey(
        "self", verbose_name=_("derived from"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "level", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "level", "number"],
                                    name="criteria_set_version"),
            models.UniqueConstraint(fields=["year", "level", "number"],
                                    condition=models.Q(unit__isnull=True),
                                    name="shipped_criteria_set_version"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year}, v{self.number})"


class Method(models.TextChoices):
    MEASURE = "measure", _("Computed from Sixclear's records")
    MANUAL = "manual", _("Scored by a person")


class Criterion(models.Model):
    """One line of a criteria set: its points, and how they are earned."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("evaluation", "position"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    citation = models.CharField(_("article cited"), max_length=300, blank=True)
    verified = models.BooleanField(
        _("checked against the official text"), default=False,
        help_text=_("Off: the figure is as reported, to be checked."))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    measure = models.CharField(_("measure"), max_length=60, blank=True)
    parameters = models.JSONField(pgettext_lazy("evaluation", "parameters"), default=dict,
                                  blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def label(self):
        language = (translation.get_language() or "vi")[:2]
        return {"en": self.title_en, "ar": self.title_ar}.get(language) or self.title


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("evaluation", "Open")
    CLOSED = "closed", pgettext_lazy("evaluation", "Closed")


class Round(VersionedModel):
    """The year's evaluation of one level under `unit` (the level above, which decides)."""

    unit = models.ForeignKey(Unit, verbose_name=_("deciding unit"), on_delete=models.PROTECT,
                             related_name="evaluation_rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("criteria set"),
                                     on_delete=models.PROTECT, related_name="rounds")
    snapshot_date = models.DateField(_("evidence as of"))
    status = models.CharField(pgettext_lazy("evaluation", "status"), max_length=10,
                              choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"),
                                  on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(pgettext_lazy("evaluation", "closed at"), null=True,
                                     blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "level"], name="one_round_per_level"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year} {self.get_level_display()}"


class SubjectState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted for review")
    DECIDED = "decided", pgettext_lazy("evaluation", "Decided")


class Subject(VersionedModel):
    """A collective or a person graded in a round."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="subjects")
    unit = models.ForeignKey(Unit, verbose_name=pgettext_lazy("evaluation", "unit"),
                             on_delete=models.PROTECT, null=True, blank=True,
                             related_name="evaluations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL,
                               verbose_name=pgettext_lazy("evaluation", "person"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="evaluations")
    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(pgettext_lazy("evaluation", "state"), max_length=10,
                             choices=SubjectState.choices, default=SubjectState.DRAFT)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=15, blank=True,
                                      choices=Grade.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(pgettext_lazy("evaluation", "submitted at"), null=True,
                                        blank=True)
    review_comment = models.TextField(_("review"), blank=True)
    # [{"code": veto code, "reason": text}] set by the level above
    vetoes = models.JSONField(_("disqualifiers applied"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=pgettext_lazy("evaluation", "decided by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(pgettext_lazy("evaluation", "decided at"), null=True,
                                      blank=True)
    reply = models.TextField(_("reply to the decision"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    evidence_at = models.DateTimeField(_("evidence computed at"), null=True, blank=True)
    # Evidence for a person's titles Sixclear does not hold: recorded by the reviewer with the
    # document that recognised it (a person's "Chiến sĩ thi đua cơ sở" needs it; titles.py).
    initiative = models.TextField(_("initiative or solution recognised"), blank=True)
    initiative_reference = models.CharField(_("recognised by (document)"), max_length=300,
                                            blank=True)
    # Stored when the round closes: the final result, reproducible from the rows above.
    final_points = models.DecimalField(_("points"), max_digits=6, decimal_places=2,
                                       null=True, blank=True)
    final_grade = models.CharField(_("grade"), max_length=15, blank=True,
                                   choices=Grade.choices)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluated subject")
        verbose_name_plural = _("evaluated subjects")
        ordering = ["round", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="subject_unit_once"),
            models.UniqueConstraint(fields=["round", "person"], name="subject_person_once"),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(person__isnull=True),
                name="subject_unit_or_person"),
        ]

    def __str__(self):
        return f"{self.name} · {self.round}"


class Line(VersionedModel):
    """A subject's figures on one criterion: the frozen evidence, the self-assessed points of a
    manual criterion, and the reviewer's adjustment with its reason (the computed figure stays
    beside it)."""

    subject = models.ForeignKey(Subject, verbose_name=pgettext_lazy("evaluation", "subject"),
                                on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"),
                                  on_delete=models.PROTECT, related_name="+")
    numerator = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    # [{"kind": "task"|"target"|..., "pk": int, "label": str, "ok": bool, "facts": {...}}]
    records = models.JSONField(_("records behind the figure"), default=list, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=6,
                                      decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("self-assessment note"), blank=True)
    review_points = models.DecimalField(_("points decided by the level above"), max_digits=6,
                                        decimal_places=2, null=True, blank=True)
    review_reason = models.TextField(_("reason for the adjustment"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adjusted by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords(excluded_fields=["records"])

    class Meta:
        verbose_name = _("evaluation line")
        verbose_name_plural = _("evaluation lines")
        ordering = ["subject", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "criterion"], name="line_once"),
        ]

    def __str__(self):
        return f"{self.subject_id} {self.criterion_id}"


class ProposalOrigin(models.TextChoices):
    RULE = "rule", _("By the title's rule")
    MANUAL = "manual", _("Added by the deciding unit")


class TitleProposal(VersionedModel):
    """A collective of a closed round proposed for an emulation title: drawn up by the rules
    (`titles.py`) when the round closes, or added by a manager of the deciding unit with a
    reason; a withdrawn proposal stays with its reason, and every change is in its history."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="title_proposals")
    subject = models.ForeignKey(Subject, verbose_name=pgettext_lazy("evaluation", "subject"),
                                on_delete=models.CASCADE, related_name="title_proposals")
    title = models.CharField(_("title code"), max_length=20)
    title_name = models.CharField(_("emulation title"), max_length=300)
    origin = models.CharField(_("proposed"), max_length=10, choices=ProposalOrigin.choices)
    citation = models.CharField(_("rule cited"), max_length=500, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal for an emulation title")
        verbose_name_plural = _("proposals for emulation titles")
        ordering = ["round", "subject__rank", "subject__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "title"], name="title_proposed_once"),
        ]

    def __str__(self):
        return f"{self.title_name} · {self.subject.name}"
