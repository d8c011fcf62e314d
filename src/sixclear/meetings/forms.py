"""Forms of the obstacle and meeting pages. They parse input; meetings.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceForm
from sixclear.tracking.forms import UnitLabels, isolated, person_label, person_option

from .models import Decision, MeetingKind


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObstacleForm(ServiceForm):
    blocks = forms.ChoiceField(label=_("What is blocked"))
    description = forms.CharField(label=_("What blocks the work"),
                                  widget=forms.Textarea(attrs={"rows": 3}))
    help_asked = forms.CharField(label=_("Help asked for"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tasks, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = {str(task.pk): task for task in tasks}
        self.targets = {str(target.pk): target for target in targets}
        self.fields["blocks"].choices = [
            ("", "—"),
            (_("Tasks"), [(f"task:{pk}", isolated(task.title)) for pk, task in self.tasks.items()]),
            (_("Targets"), [(f"target:{pk}", isolated(target.name))
                            for pk, target in self.targets.items()]),
        ]

    def subject(self):
        kind, _sep, pk = self.cleaned_data["blocks"].partition(":")
        if kind == "task":
            return {"task": self.tasks.get(pk)}
        return {"target": self.targets.get(pk)}


class RouteForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    must_act = forms.ModelChoiceField(label=_("Unit that must act"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["must_act"].queryset = units
        self.fields["must_act"].label_from_instance = UnitLabels(units)


class AnswerForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Time"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    topic = forms.CharField(label=_("Topic"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    with_unit = forms.ModelChoiceField(
        label=_("Working with"), queryset=None, required=False,
        help_text=_("For a working session: the unit whose work is reviewed."))
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_unit"].queryset = units
        self.fields["with_unit"].label_from_instance = UnitLabels(units)
        self.fields["attendees"].queryset = people
        # Rendered one by one with each name in <bdi> (meetings.html), so plain names here.
        self.fields["attendees"].label_from_instance = person_label


class DecisionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), required=False,
                                 help_text=_("Leave it empty to save the notes only."))
    text = forms.CharField(label=_("Answer or comment"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Decision.choices)
        self.fields["decision"].choices = [("", "—"), *((value, labels[value])
                                                         for value in decisions)]


class ItemTaskForm(ServiceForm):
    """A task decided in the meeting; what is left empty is a missing clear, kept as a
    draft."""

    title = forms.CharField(label=_("Task"), max_length=500)
    description = forms.CharField(label=_("What is to be done"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False,
                                   empty_value=None)
    lead_unit = forms.TypedChoiceField(label=_("Lead unit"), coerce=int, required=False,
                                       empty_value=None)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    expected_result = forms.CharField(label=_("Expected result"), required=False)
    authority_body = forms.CharField(label=_("Approving body"), required=False)

    def __init__(self, *args, choices, **kwargs):
        """`choices`: {"owner": [(person, label)], "lead_unit": [(unit, label)]}, read once
        for every item's form of a page (`task_choices`)."""
        super().__init__(*args, **kwargs)
        self.rows = {}
        for name in ("owner", "lead_unit"):
            self.rows[name] = {row.pk: row for row, _label in choices[name]}
            self.fields[name].choices = [("", "—"), *((row.pk, label)
                                                       for row, label in choices[name])]

    def changes(self):
        values = {name: value for name, value in self.cleaned_data.items()
                  if value not in (None, "")}
        for name in ("owner", "lead_unit"):
            if name in values:
                values[name] = self.rows[name][values[name]]
        return values


def task_choices(references):
    """The owners and lead units a meeting's task may name, with their labels, read once."""
    units = list(references["lead_unit"])
    labels = UnitLabels(units)
    return {"owner": [(person, person_option(person)) for person in references["owner"]],
            "lead_unit": [(unit, labels(unit)) for unit in units]}


class ItemForm(ServiceForm):
    title = forms.CharField(label=_("Another matter"), max_length=500)


class MinutesForm(ServiceForm):
    amendment = forms.CharField(label=_("Amendment (if any)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
