"""Forms of the resolution, program and target pages. They parse input; plans.services and
plans.rules decide what is allowed, and their errors are shown beside the fields
(`sixclear.forms.ServiceErrors`)."""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceErrors, ServiceForm

from .models import (
    Area,
    Direction,
    Program,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    ResolutionStatus,
    Target,
    TargetKind,
)
from .rules import DEFINING_FIELDS, preview_path

GROWTH = (TargetKind.ANNUAL_GROWTH, TargetKind.GROWTH_RANGE)
AIMING_AT_A_VALUE = (TargetKind.CUMULATIVE, TargetKind.COUNT, TargetKind.THRESHOLD,
                     TargetKind.THRESHOLD_KEEP, TargetKind.YES_NO)
# The figures only some kinds use: the page shows each for its kinds (target-form.js) and a
# save drops what the chosen kind does not use, so a value typed before the kind changed
# cannot linger.
KIND_FIELDS = {
    "annual_rate": GROWTH,
    "annual_rate_high": (TargetKind.GROWTH_RANGE,),
    "target_value": AIMING_AT_A_VALUE,
}

TARGET_SECTIONS = [
    (_("What is measured"), ["code", "name", "area", "indicator", "unit_of_measure"]),
    (_("Kind and direction"), ["kind", "direction"]),
    (_("Baseline and goal"), ["baseline_value", "baseline_year", "target_value", "annual_rate",
                              "annual_rate_high", "target_year"]),
    (_("Where it comes from and who answers for it"), [
        "resolution", "programs", "responsible_unit", "responsible_person"]),
]
WIDE_FIELDS = {"name"}
# The figures that decide the path: the preview is computed from them.
FIGURES = ("kind", "direction", "unit_of_measure", "baseline_value", "baseline_year",
           "target_value", "annual_rate", "annual_rate_high", "target_year")


def _isolated(text):
    """An <option> holds plain text only: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE keep
    a Vietnamese name in its own order on an Arabic page."""
    return f"\u2068{text}\u2069"


def _person(user):
    return _isolated(user.get_full_name() or user.get_username())


class TargetForm(ServiceErrors, forms.ModelForm):
    """Create or edit a target. Saving goes through plans.services, never `form.save()`.

    `held`: the defining figures are shown but not taken (the target is adopted and the person
    may not re-baseline it directly)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = [name for _title, names in TARGET_SECTIONS for name in names]
        widgets = {
            "kind": forms.Select(attrs={"data-kind-select": ""}),
            "direction": forms.RadioSelect,
            "unit_of_measure": forms.TextInput(attrs={"list": "units-of-measure"}),
        }
        help_texts = {
            "code": _("Short and unique in the unit, for example KT-01."),
            "unit_of_measure": _("For example: %, tỷ đồng, hộ, triệu USD."),
            "baseline_value": _("The value in the baseline year. For a yes-or-no target: 0."),
            "target_value": _("Needed for cumulative, count, threshold and yes-or-no targets "
                              "(1 for yes, 0 for no)."),
            "annual_rate": _("Needed for growth targets: % a year (the lower end of a range)."),
            "annual_rate_high": _("Needed for a growth range: the upper end, % a year."),
            "programs": _("The programs and plans the target serves."),
        }

    def __init__(self, *args, choices, held=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self.fields["area"].queryset = Area.objects.filter(is_active=True)
        self.fields["responsible_person"].label_from_instance = _person
        for name in ("resolution", "programs", "responsible_unit", "area"):
            self.fields[name].label_from_instance = lambda row: _isolated(str(row))
        self.fields["kind"].choices = [("", "—"), *TargetKind.choices]
        self.fields["programs"].required = False
        for name in ("baseline_value", "target_value", "annual_rate", "annual_rate_high"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        for name in ("baseline_year", "target_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.held = held
        if held:
            for name in DEFINING_FIELDS:
                self.fields[name].disabled = True
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.conflicts = {}

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        unit = self.instance.unit if self.instance.unit_id else None
        if code and unit is not None:
            taken = Target.objects.filter(unit=unit, code=code).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("code", gettext("%(unit)s already has a target with this code.")
                               % {"unit": unit.name})
        return code

    def _post_clean(self):
        # The model's own validation runs in the service, with the acting user's rules.
        pass

    def _kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or ""

    def changes(self):
        """The values to save, as plans.services takes them (the area by its name, as
        `group`); the figures the chosen kind does not use are emptied."""
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in ("version", "area", "programs")
                and not self.fields[name].disabled}
        area = self.cleaned_data.get("area")
        data["group"] = area.name if area else ""
        kind = self._kind()
        for name, kinds in KIND_FIELDS.items():
            if name in data and kind and kind not in kinds:
                data[name] = None
        return data

    def programs(self):
        return list(self.cleaned_data.get("programs") or [])

    def figures(self):
        """The figures as typed (those that parsed), with a held target's own."""
        if self.is_bound:
            values = {name: self.cleaned_data.get(name) for name in FIGURES}
        else:  # what the page opens with: the target's own figures, or none yet
            values = {name: self[name].value() for name in FIGURES}
            values = {name: None if value == "" else value for name, value in values.items()}
        kind = values["kind"]
        for name, kinds in KIND_FIELDS.items():
            if kind and kind not in kinds:
                values[name] = None
        return values

    def preview(self):
        """([(year, expected, upper)], {field: error}) for the figures as typed: what the save
        would store (`plans.rules.preview_path`)."""
        if self.is_bound:
            self.is_valid()  # parse what can be parsed; the rest stays out of cleaned_data
        figures = self.figures()
        figures["direction"] = figures["direction"] or Direction.HIGHER
        path, errors = preview_path(Target(**figures))
        labelled = [(self.fields[name].label if name in self.fields else "", message)
                    for name, messages in errors.items()
                    for message in (messages if isinstance(messages, list) else [messages])]
        return path, labelled

    def sections(self):
        """The fields in the order people think of them, each with the kinds that use it."""
        return [
            (title, [(self[name], " ".join(KIND_FIELDS.get(name, ())), self.conflicts.get(name),
                      name in WIDE_FIELDS) for name in names])
            for title, names in TARGET_SECTIONS
        ]

    def show_conflicts(self, current):
        """After a stale edit: keep the person's input, show beside each field the value
        someone else saved meanwhile where it differs, and take the current version so that
        saving again is a deliberate choice."""
        stored = model_to_dict(current, fields=self._meta.fields)
        for name, mine in self.cleaned_data.items():
            if name not in stored:
                continue
            theirs = stored[name]
            if hasattr(mine, "model") or isinstance(mine, list):
                mine, theirs = (sorted(item.pk for item in mine),
                                sorted(getattr(item, "pk", item) for item in theirs or []))
            elif hasattr(mine, "pk"):
                mine = mine.pk
            if (mine if mine not in ("", None) else None) != (
                    theirs if theirs not in ("", None) else None):
                self.conflicts[name] = self._display(name, current)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version

    @staticmethod
    def _display(name, target):
        if name == "programs":
            return "; ".join(str(program) for program in target.programs.all()) or "—"
        if name in ("kind", "direction"):
            return getattr(target, f"get_{name}_display")()
        value = getattr(target, name)
        return str(value) if value not in (None, "") else "—"


class TrajectoryForm(ServiceForm):
    """A target's path drawn by hand: one value for each year after the baseline."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        drawn = {point.year: point.expected_value for point in target.trajectory.all()}
        self.years = list(range(target.baseline_year + 1, target.target_year + 1))
        for year in self.years:
            self.fields[f"year_{year}"] = forms.DecimalField(
                label=str(year), required=False, max_digits=20, decimal_places=4,
                initial=drawn.get(year),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
        if not self.is_bound:
            self.fields["version"].initial = target.version

    def clean(self):
        data = super().clean()
        if not self.errors and not self.points():
            raise forms.ValidationError(gettext("Give the value of at least one year."))
        return data

    def points(self):
        return {year: self.cleaned_data[f"year_{year}"] for year in self.years
                if self.cleaned_data.get(f"year_{year}") is not None}

    def rows(self):
        return [(year, self[f"year_{year}"]) for year in self.years]


class Conflicts:
    """After a stale edit: keep the person's input, show beside each field what someone else
    saved meanwhile, and take the current version so that saving again is a deliberate
    choice."""

    def show_conflicts(self, current, changed=None):
        """`changed` names the fields others changed (from the history); without it, every
        field whose saved value differs from the input is shown."""
        self.conflicts = {}
        for name, mine in self.cleaned_data.items():
            if name == "version" or name not in self.fields:
                continue
            theirs = getattr(current, name, None)
            if changed is not None:
                differs = name in changed
            else:
                differs = (getattr(mine, "pk", mine) or None) != (
                    getattr(theirs, "pk", theirs) or None)
            if differs:
                self.conflicts[name] = self._display(current, name)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version

    @staticmethod
    def _display(current, name):
        display = getattr(current, f"get_{name}_display", None)
        value = display() if display else getattr(current, name)
        return str(value) if value not in (None, "") else "—"

    def rows(self, wide=()):
        """(field, note, conflict, wide) as form_field.html shows them."""
        conflicts = getattr(self, "conflicts", {})
        return [(self[name], None, conflicts.get(name), name in wide)
                for name in self.fields if name != "version"]


class VersionedForm(Conflicts, ServiceErrors, forms.ModelForm):
    """A model form saved through a service, never `form.save()`; `version` is the row's
    version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The model's own validation runs in the service, with the acting user's rules.
        pass

    def changes(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def field_rows(self):
        return self.rows(self.wide)


class ResolutionForm(VersionedForm):
    wide = ("title", "issuing_body", "summary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status only moves forward (draft → adopted → superseded): offer no way back.
        stored = self.instance.status if self.instance.pk else ResolutionStatus.DRAFT
        order = list(ResolutionStatus.values)
        self.fields["status"].choices = [
            (value, label) for value, label in ResolutionStatus.choices
            if order.index(value) >= order.index(stored)]

    class Meta:
        model = Resolution
        fields = ["number", "title", "issuing_body", "term_start", "term_end", "status",
                  "adopted_on", "summary"]
        widgets = {"adopted_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "status": _("Draft while it is written; adopted from its adoption date (its items "
                        "and its targets' figures are then fixed); superseded when a later "
                        "resolution replaces it."),
        }


class ProgramForm(VersionedForm):
    wide = ("title", "issuing_body", "summary")

    class Meta:
        model = Program
        fields = ["kind", "number", "title", "issuing_body", "issued_on", "period_start",
                  "period_end", "resolution", "summary"]
        widgets = {"issued_on": DateInput(), "period_start": DateInput(),
                   "period_end": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "issued_on": _("Once it is issued, the targets it carries keep their figures unless "
                           "the leaders re-baseline them."),
        }

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions
        self.fields["resolution"].label_from_instance = lambda r: f"\u2068{r}\u2069"


class ItemForm(VersionedForm):
    wide = ("title", "text")

    class Meta:
        model = ResolutionItem
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class NewItemForm(ServiceForm):
    kind = forms.ChoiceField(choices=ResolutionItemKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kind = kwargs.pop("kind", None)
        super().__init__(*args, **kwargs)
        if kind:
            self.fields["kind"].initial = kind
            self.auto_id = f"id_{kind}_%s"


class SectionForm(VersionedForm):
    wide = ("title", "summary")

    class Meta:
        model = ProgramSection
        fields = ["code", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class NewSectionForm(ServiceForm):
    code = forms.CharField(label=_("Label"), max_length=12, required=False,
                           help_text=_("As the document numbers it, for example A or I."))
    title = forms.CharField(label=_("Title"), max_length=300)


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ArrangeForm(forms.Form):
    """Which section each of the program's targets and tasks is in: one choice a row."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, program, sections, targets, tasks, placed, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {str(section.pk): section for section in sections}
        choices = [("", _("No section")), *[
            (str(section.pk), f"\u2068{section}\u2069") for section in sections]]
        self.target_rows, self.task_rows = [], []
        for kind, rows, out in (("target", targets, self.target_rows),
                                ("task", tasks, self.task_rows)):
            for row in rows:
                name = f"{kind}_{row.pk}"
                title = row.name if kind == "target" else row.title
                self.fields[name] = forms.ChoiceField(
                    label=f"\u2068{row.code}\u2069 · \u2068{title}\u2069",
                    choices=choices, required=False,
                    initial=str(placed.get((kind, row.pk)) or ""))
                out.append((row, name))
        if not self.is_bound:
            self.fields["version"].initial = program.version

    def target_fields(self):
        return [self[name] for _row, name in self.target_rows]

    def task_fields(self):
        return [self[name] for _row, name in self.task_rows]

    def placement(self):
        """({target: section or None}, {task: section or None})."""
        pick = self.sections.get
        return ({row: pick(self.cleaned_data.get(name) or "") for row, name in self.target_rows},
                {row: pick(self.cleaned_data.get(name) or "") for row, name in self.task_rows})
