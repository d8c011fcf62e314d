"""Forms of the task and target pages. They parse input; tracking.services decides what is
allowed."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, MultipleFileField, ServiceErrors, ServiceForm
from sixclear.orgs.models import Unit

from .models import SIX_CLEAR_LABELS, PeriodKind, Task
from .rules import owners_for


def person_label(user):
    return user.get_full_name() or user.get_username()


def isolated(text):
    """`text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: an <option> holds
    plain text only (no <bdi>), and in an Arabic page a Vietnamese name there must keep its
    own order."""
    return f"\u2068{text}\u2069"


def person_option(user):
    return isolated(person_label(user))


def task_option(task):
    return isolated(f"{task.code} · {task.title}" if task.code else task.title)


class UnitLabels:
    """Name each unit of a choice list with its parent ("Văn phòng HĐND và UBND — Hòa Hội"):
    every commune has an office of that name. The parents are read in one query."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.parents = None

    def __call__(self, unit):
        if self.parents is None:
            paths = {u.path[: -u.steplen] for u in self.queryset if u.depth > 1}
            self.parents = dict(Unit.objects.filter(path__in=paths).values_list("path", "name"))
        parent = self.parents.get(unit.path[: -unit.steplen])
        return f"{isolated(unit.name)} — {isolated(parent)}" if parent else isolated(unit.name)


class ProgressReportForm(ServiceForm):
    percent = forms.IntegerField(
        label=_("Percent complete"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}),
    )
    obstacles = forms.CharField(
        label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What stands in the way and what help is needed. Leave empty if nothing."),
    )
    files = MultipleFileField(
        label=_("Evidence files"), required=False,
        help_text=_("PDF, images or office documents; you can choose several files."),
    )


class ReviewForm(ServiceForm):
    """Approve or return a submitted report or measurement."""

    APPROVE, RETURN = "approve", "return"

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you return it: say what to correct."),
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return"))], widget=forms.HiddenInput
    )

    @property
    def approve(self):
        return self.cleaned_data["decision"] == self.APPROVE


class StepForm(ServiceForm):
    title = forms.CharField(label=_("Step"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())


class VersionForm(forms.Form):
    """The version of the row the person saw, for an optimistic, version-checked write."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(ServiceErrors, VersionForm):
    """Cancel a task, saying why; the reason is kept in its history."""

    reason = forms.CharField(
        label=_("Why is the task cancelled?"), max_length=100,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the task's history and shown on its page (at most 100 characters)."),
    )


class StepDoneForm(VersionForm):
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)


# Which form field each of the six clears concerns.
CLEAR_FIELDS = {
    "person": "owner",
    "work": "description",
    "deadline": "deadline",
    "responsibility": "lead_unit",
    "result": "expected_result",
    "authority": "authority",
}

TASK_SECTIONS = [
    (_("Clear work"), ["title", "code", "description"]),
    (_("Clear person and clear responsibility"), ["owner", "lead_unit", "coordinating_units"]),
    (_("Clear deadline"), ["start_date", "deadline", "priority"]),
    (_("Clear result and clear authority"), ["expected_result", "authority", "authority_body"]),
    (_("Where the task comes from"), ["parent", "resolution", "program", "task_group",
                                      "targets"]),
]
WIDE_FIELDS = {"title", "description", "expected_result"}


class TaskForm(ServiceErrors, forms.ModelForm):
    """Create or edit a task. Saving goes through tracking.services, never `form.save()`."""

    error_fields = CLEAR_FIELDS

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [name for _title, names in TASK_SECTIONS for name in names]
        widgets = {
            "start_date": DateInput(),
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Leave it empty to get the unit's next code of the year: "
                      "NV-<year>-<number>."),
        }

    def __init__(self, *args, choices, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        if "parent" not in choices:  # offered only where the person's own tasks are known
            self.fields["parent"].queryset = Task.objects.none()
        self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
            pk=self.instance.pk).order_by("code", "pk")
        self.fields["parent"].label_from_instance = task_option
        for name in ("owner", "authority"):
            self.fields[name].label_from_instance = person_option
        for name in ("lead_unit", "coordinating_units"):
            self.fields[name].label_from_instance = UnitLabels(self.fields[name].queryset)
        self.unit = unit or (self.instance.unit if self.instance.unit_id else None)
        self.all_owners = self.fields["owner"].queryset
        if self.unit is not None:
            # Offer as owner only whom the service accepts for the chosen lead unit; the list
            # follows the lead unit (htmx), and `clean` says why when it did not.
            self.fields["lead_unit"].widget.attrs.update({
                "hx-get": reverse("tracking:task_owner_choices", args=[self.unit.pk]),
                "hx-target": "#id_owner", "hx-include": "#id_owner", "hx-trigger": "change",
            })
            if not self.is_bound:
                self.narrow_owners(self.instance.lead_unit if self.instance.lead_unit_id
                                   else self.unit)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.notes = {}
        self.conflicts = {}
        if self.instance.pk:
            self.notes = {
                CLEAR_FIELDS[key]: SIX_CLEAR_LABELS[key] for key in self.instance.missing_clears()
            }
            for name in self.notes:
                ids = [f"id_{name}_note"]
                if self.fields[name].help_text:
                    ids.append(f"id_{name}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def narrow_owners(self, lead_unit):
        self.fields["owner"].queryset = self.all_owners.filter(
            pk__in=owners_for(lead_unit).values("pk"))

    def clean(self):
        data = super().clean()
        lead_unit = data.get("lead_unit") or self.unit
        owner = data.get("owner")
        if lead_unit is not None:
            if owner and not owners_for(lead_unit).filter(pk=owner.pk).exists():
                self.add_error("owner", gettext("%(person)s has no officer role in %(unit)s.") % {
                    "person": person_label(owner), "unit": lead_unit.name})
            self.narrow_owners(lead_unit)
        return data

    def _post_clean(self):
        # The model's own validation runs in the service, with the acting user's rules.
        pass

    def changes(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def sections(self):
        """The fields in the order people think of them, with the missing clear beside each."""
        return [
            (title, [
                (self[name], None if self[name].errors else self.notes.get(name),
                 self.conflicts.get(name), name in WIDE_FIELDS)
                for name in names
            ])
            for title, names in TASK_SECTIONS
        ]

    def show_conflicts(self, current, changed=None):
        """After a stale edit: keep the person's input, show beside each field what someone else
        saved meanwhile, and take the current version so saving again is a deliberate choice.

        `changed` names the fields others changed; without it, every field whose saved value
        differs from the input is shown.
        """
        stored = forms.models.model_to_dict(current, fields=self._meta.fields)
        for name, mine in self.cleaned_data.items():
            if name not in stored:
                continue
            if changed is not None:
                differs = name in changed
            else:
                theirs = stored[name]
                if hasattr(mine, "model"):  # a queryset of chosen rows
                    mine = sorted(item.pk for item in mine)
                    theirs = sorted(getattr(item, "pk", item) for item in theirs or [])
                elif hasattr(mine, "pk"):
                    mine = mine.pk
                differs = (mine or None) != (theirs or None)
            if differs:
                self.conflicts[name] = self._display(name, current)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version

    @staticmethod
    def _display(name, task):
        value = getattr(task, name)
        if hasattr(value, "all"):
            return ", ".join(str(item) for item in value.all()) or "—"
        if name in ("owner", "authority") and value is not None:
            return person_label(value)
        if name == "priority":
            return task.get_priority_display()
        return str(value) if value not in (None, "") else "—"


class MeasurementForm(ServiceForm):
    """A target's value for a period; services.record_measurement checks the rest."""

    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices,
                                    initial=PeriodKind.YEAR)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200,
                              initial=lambda: timezone.localdate().year)
    period_number = forms.IntegerField(
        label=_("Quarter or month"), required=False, min_value=0, max_value=12, initial=0,
        help_text=_("0 for a whole year; 1–4 for a quarter; 1–12 for a month."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    source = forms.CharField(label=_("Source"), required=False, max_length=300,
                             help_text=_("For example: the statistics office's yearly report."))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def clean_period_number(self):
        return self.cleaned_data.get("period_number") or 0
