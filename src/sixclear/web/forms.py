"""Forms of the pages composed here that draw on several apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ManyOptionsSelect
from sixclear.monitoring.models import TaskStatus
from sixclear.tracking.forms import person_option
from sixclear.tracking.models import TaskState
from sixclear.tracking.selectors import STALE


class TaskFilterForm(forms.Form):
    """Filters of a unit's task list. Field names are the arguments of selectors.unit_tasks."""

    search = forms.CharField(label=_("Search"), required=False, max_length=200,
                             widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any state")), *TaskState.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *TaskStatus.choices, (STALE, _("Stale"))],
    )
    program = forms.ModelChoiceField(label=_("Program or plan"), required=False,
                                     queryset=None, empty_label=_("Any program"),
                                     widget=ManyOptionsSelect)
    # Everyone owning one of the unit's tasks: a country's own tasks have hundreds.
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=None,
                                   empty_label=_("Anyone"), widget=ManyOptionsSelect)
    late = forms.BooleanField(label=_("Late only"), required=False)
    obstacles = forms.BooleanField(label=_("With obstacles only"), required=False)
    include_sub_units = forms.BooleanField(label=_("Include sub-units"), required=False)
    group = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = choices["program"]
        self.fields["owner"].queryset = choices["owner"]
        self.fields["owner"].label_from_instance = person_option

    def filters(self):
        """The chosen filters, or none when the input does not parse."""
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data
