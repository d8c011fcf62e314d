"""Forms of change requests. They parse input; changes.services decides what is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceForm
from sixclear.tracking.forms import person_option

from .models import ChangeKind

TASK_KINDS = [
    (ChangeKind.DEADLINE, _("Deadline")),
    (ChangeKind.RESULT, _("Expected result")),
    (ChangeKind.OWNER, _("Owner")),
]
# The task field each kind asks to change.
TASK_KIND_FIELDS = {
    ChangeKind.DEADLINE: "deadline",
    ChangeKind.RESULT: "expected_result",
    ChangeKind.OWNER: "owner",
}


class TaskChangeForm(ServiceForm):
    """Ask for a task's new deadline, expected result or owner, with a reason.

    The kind is chosen first (`kind`, from the page's address); the form shows and sends only
    that kind's field, the kind itself travelling hidden.
    """

    kind = forms.ChoiceField(label=_("What should change"), choices=TASK_KINDS,
                             widget=forms.HiddenInput)
    deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput())
    expected_result = forms.CharField(
        label=_("New expected result"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ModelChoiceField(label=_("New owner"), required=False, queryset=None)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the change is needed; the approving authority reads it."),
    )

    def __init__(self, *args, owners, task=None, kind=None, **kwargs):
        kwargs.setdefault("prefix", "change")
        if task is not None:
            kwargs.setdefault("initial", {
                "deadline": task.deadline, "expected_result": task.expected_result,
                "owner": task.owner_id,
            })
        # e.g. "owner" from the task page's Reassign; a deadline unless another is chosen
        kwargs["initial"] = {**kwargs.get("initial", {}),
                             "kind": kind if kind in TASK_KIND_FIELDS else ChangeKind.DEADLINE}
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = person_option

    def chosen_kind(self) -> str:
        """The kind asked for: as sent, else as the page's address chose it."""
        value = (self.data.get(self.add_prefix("kind")) if self.is_bound
                 else self.initial.get("kind"))
        return value if value in TASK_KIND_FIELDS else ChangeKind.DEADLINE

    def chosen_field(self) -> forms.BoundField:
        """The one field of the chosen kind, the only one the form shows."""
        return self[TASK_KIND_FIELDS[self.chosen_kind()]]

    def kinds(self) -> list[tuple[str, str, bool]]:
        """(kind, label, chosen) for the chooser that reloads the page with `?change=`."""
        chosen = self.chosen_kind()
        return [(value, str(label), value == chosen) for value, label in TASK_KINDS]

    def proposed(self):
        """The new value of the chosen kind, as changes.services.request_change takes it."""
        name = TASK_KIND_FIELDS[self.cleaned_data["kind"]]
        value = self.cleaned_data.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        return {name: "" if value is None else value}


REBASELINE_FIELDS = ("baseline_value", "baseline_year", "target_value", "annual_rate",
                     "annual_rate_high", "target_year")


def _plain(value):
    """A stored number as people type it: 100, not 100.0000."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


class RebaselineForm(ServiceForm):
    """Ask for a target's new baseline, goal or rates. Filled with the current values; only
    the ones changed are asked for."""

    baseline_value = forms.DecimalField(label=_("New baseline value"), required=False,
                                        max_digits=20, decimal_places=4)
    baseline_year = forms.IntegerField(label=_("New baseline year"), required=False,
                                       min_value=1900, max_value=2200)
    target_value = forms.DecimalField(label=_("New target value"), required=False,
                                      max_digits=20, decimal_places=4)
    annual_rate = forms.DecimalField(label=_("New annual rate (%)"), required=False,
                                     max_digits=8, decimal_places=3)
    annual_rate_high = forms.DecimalField(label=_("New upper annual rate (%)"), required=False,
                                          max_digits=8, decimal_places=3)
    target_year = forms.IntegerField(label=_("New target year"), required=False,
                                     min_value=1900, max_value=2200)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the target should be re-baselined; the leaders who decide read it."),
    )

    def __init__(self, *args, target, **kwargs):
        kwargs.setdefault("prefix", "rebaseline")
        kwargs.setdefault("initial", {
            name: _plain(getattr(target, name)) for name in REBASELINE_FIELDS})
        super().__init__(*args, **kwargs)
        self.target = target

    def proposed(self):
        """The values that differ from the target's, as request_change takes them."""
        return {
            name: "" if self.cleaned_data.get(name) is None else str(self.cleaned_data[name])
            for name in REBASELINE_FIELDS
            if self.cleaned_data.get(name) != getattr(self.target, name)
        }


class DecisionForm(ServiceForm):
    """Approve or reject a change request; a rejection needs a comment (the service says so)."""

    APPROVE, REJECT = "approve", "reject"

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject it: say why."),
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))], widget=forms.HiddenInput
    )

    @property
    def approve(self):
        return self.cleaned_data["decision"] == self.APPROVE
