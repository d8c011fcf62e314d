import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.versioning import VersionedModel


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class Resolution(VersionedModel):
    """A document adopted by a congress or committee for a term, e.g. 2025–2030.

    Draft while it is written; adopted from its adoption date (which then locks its items
    and its targets' defining figures, `plans.rules`); superseded when a later one replaces
    it, which unlocks nothing."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="resolutions"
    )
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    term_start = models.PositiveSmallIntegerField(_("term start year"))
    term_end = models.PositiveSmallIntegerField(_("term end year"))
    adopted_on = models.DateField(_("adoption date"), null=True, blank=True)
    issuing_body = models.CharField(
        _("issuing body"), max_length=300, blank=True,
        help_text=_("For example: the congress of the ward's Party organisation."))
    status = models.CharField(_("status"), max_length=12, choices=ResolutionStatus.choices,
                              default=ResolutionStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document file"), upload_to="resolutions/%Y/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-term_start", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="resolution_number_per_unit"),
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")),
                name="resolution_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"

    @property
    def term(self):
        return f"{self.term_start}–{self.term_end}"


class ResolutionItemKind(models.TextChoices):
    VIEWPOINT = "viewpoint", _("Leadership viewpoint")
    BREAKTHROUGH = "breakthrough", _("Breakthrough")
    TASK_GROUP = "task_group", _("Group of tasks and solutions")


class ResolutionItem(VersionedModel):
    """An ordered viewpoint, breakthrough or task group of a resolution."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionItemKind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution item")
        verbose_name_plural = _("resolution items")
        ordering = ["resolution", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "kind", "position"], name="resolution_item_position"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}: {self.title}"


class ProgramKind(models.TextChoices):
    ACTION_PROGRAM = "action_program", _("Action program")
    PLAN = "plan", _("Plan")
    CONCLUSION = "conclusion", _("Meeting conclusion")
    DECISION = "decision", _("Leadership decision")


class Program(VersionedModel):
    """An action program, plan, meeting conclusion or decision that carries a resolution out."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="programs"
    )
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="programs",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issuing_body = models.CharField(
        _("issued by"), max_length=300, blank=True,
        help_text=_("For example: the Standing Committee of the ward's Party Committee."))
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program or plan")
        verbose_name_plural = _("programs and plans")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="program_number_per_unit"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="program_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"


class ProgramSection(VersionedModel):
    """An ordered part of a program (A, B, C ...) that groups some of its targets and tasks.

    A target may serve several programs, so it is placed in a section per program (at most
    one section of each program); a task, which belongs to one program, points at its
    section from `tracking`."""

    program = models.ForeignKey(
        Program, verbose_name=_("program or plan"), on_delete=models.CASCADE,
        related_name="sections",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("label"), max_length=12, blank=True,
                            help_text=_("As the document numbers it, for example A or I."))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    targets = models.ManyToManyField(
        "Target", verbose_name=_("targets"), related_name="program_sections", blank=True
    )
    history = HistoricalRecords(m2m_fields=[targets])

    class Meta:
        verbose_name = _("program section")
        verbose_name_plural = _("program sections")
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"],
                                    name="program_section_position")
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class TargetKind(models.TextChoices):
    ANNUAL_GROWTH = "annual_growth", _("Annual growth rate")
    GROWTH_RANGE = "growth_range", _("Average growth within a range")
    CUMULATIVE = "cumulative", _("Cumulative amount over the term")
    COUNT = "count", _("Count")
    # A threshold to reach by the target year is a path from the baseline; one to keep must
    # hold every year. The stored value "threshold" is the one to reach (as before the split).
    THRESHOLD = "threshold", _("Threshold to reach by the target year")
    THRESHOLD_KEEP = "threshold_keep", _("Threshold to keep every year")
    YES_NO = "yes_no", _("Yes or no")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


def area_key(text):
    """A name of an area reduced to what tells it from another: case, spacing, the kind of
    dash and the old or new place of the tone mark ("Văn hoá - Xã hội" = "Văn hóa – xã hội")."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    for old, new in (("oá", "óa"), ("oà", "òa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
                     ("uý", "úy"), ("uỳ", "ùy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy")):
        text = text.replace(old, new)
    for dash in "–—‒−-":
        text = text.replace(dash, " - ")
    return " ".join(text.split())


class Area(models.Model):
    """A field of work that targets belong to (economy; culture and society; ...): one shared
    list that every unit picks from, so that the dashboards' heat map does not split on
    spelling. An administrator extends it; `synonyms` are other names that imports and the
    API accept for it ("Xã hội" for "Văn hóa – xã hội")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True,
                            help_text=_("In Vietnamese, as documents write it."))
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    synonyms = models.TextField(_("other names"), blank=True,
                                help_text=_("One a line: names that mean this area."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name()

    def display_name(self, language=None):
        """The name in `language` (the active one by default), Vietnamese when it has none."""
        language = (language or get_language() or "vi")[:2]
        return {"en": self.name_en, "ar": self.name_ar}.get(language) or self.name

    def matching_keys(self):
        names = [self.code, self.name, self.name_en, self.name_ar, *self.synonyms.splitlines()]
        return {area_key(name) for name in names if name and name.strip()}


class Target(VersionedModel):
    """A quantified goal measured against a baseline and a yearly trajectory.

    One target may serve the resolution and several programs at once: it is one row, linked.
    Growth targets keep their rate in `annual_rate` (and `annual_rate_high` for a range) and
    are measured as levels, e.g. production value; other kinds aim at `target_value`.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="targets",
        null=True,
        blank=True,
    )
    programs = models.ManyToManyField(
        Program, verbose_name=_("programs"), related_name="targets", blank=True
    )
    # The area from the shared list; `group` keeps its name as the spreadsheets, the API and
    # the rollups read it, always the area's own name (plans.rules.place_in_area).
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="targets",
        null=True, blank=True,
    )
    group = models.CharField(
        _("area"), max_length=200, blank=True, help_text=_("For example: Economy, Society")
    )
    indicator = models.CharField(
        _("indicator"), max_length=60, blank=True, db_index=True,
        help_text=_("A shared code for the same measure in every unit (for example GRDP-GROWTH), "
                    "so that units can be compared on it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=20, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    annual_rate = models.DecimalField(
        _("annual rate (%)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    annual_rate_high = models.DecimalField(
        _("upper annual rate (%)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="responsible_targets",
        null=True,
        blank=True,
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="responsible_targets",
        null=True,
        blank=True,
    )
    # What the indicator can be at all (a share in % lies within 0–100): forecasts stay inside.
    # Empty means no bound, except that a share in % (not a growth rate) is bounded to 0–100.
    lowest_possible = models.DecimalField(
        _("lowest possible value"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("Leave empty for no bound; a share in per cent is at least 0."),
    )
    highest_possible = models.DecimalField(
        _("highest possible value"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("Leave empty for no bound; a share in per cent is at most 100."),
    )
    trajectory_is_custom = models.BooleanField(
        _("trajectory drawn by hand"),
        default=False,
        help_text=_("When off, the yearly trajectory is recomputed from the target's kind."),
    )
    history = HistoricalRecords(m2m_fields=[programs])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="target_code_per_unit"),
            models.CheckConstraint(
                condition=models.Q(target_year__gt=models.F("baseline_year")),
                name="target_year_after_baseline",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"


class TrajectoryPoint(models.Model):
    """The value a target is expected to reach by the end of a year (low and high for ranges)."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="trajectory"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    expected_value = models.DecimalField(_("expected value"), max_digits=20, decimal_places=4)
    expected_high = models.DecimalField(
        _("expected upper value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trajectory point")
        verbose_name_plural = _("trajectory points")
        ordering = ["target", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="one_point_per_target_year")
        ]

    def __str__(self):
        return f"{self.target.code} {self.year}: {self.expected_value}"


def target_field_errors(target):
    """Which fields a target of its kind is missing or has wrong, as {field: message}."""
    errors = {}
    growth = target.kind in (TargetKind.ANNUAL_GROWTH, TargetKind.GROWTH_RANGE)
    if growth and target.annual_rate is None:
        errors["annual_rate"] = gettext("A growth target needs its annual rate.")
    if target.kind == TargetKind.GROWTH_RANGE:
        if target.annual_rate_high is None:
            errors["annual_rate_high"] = gettext("A range needs its upper annual rate.")
        elif target.annual_rate is not None and target.annual_rate_high < target.annual_rate:
            errors["annual_rate_high"] = gettext("The upper rate must not be below the lower rate.")
    if not growth and target.target_value is None:
        errors["target_value"] = gettext("This kind of target needs a target value.")
    if target.kind == TargetKind.YES_NO and target.target_value not in (None, 0, 1):
        errors["target_value"] = gettext("A yes-or-no target aims at 1 (yes) or 0 (no).")
    lowest, highest = target.lowest_possible, target.highest_possible
    if lowest is not None and highest is not None and highest < lowest:
        errors["highest_possible"] = gettext(
            "The highest possible value must not be below the lowest possible value.")
    if target.baseline_year and target.target_year and target.target_year <= target.baseline_year:
        errors["target_year"] = gettext("The target year must come after the baseline year.")
    return errors
