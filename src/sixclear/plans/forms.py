from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm
from sixclear.tracking.models import PeriodKind


class MeasurementForm(ServiceForm):
    """A target's value for a period; tracking.services.record_measurement checks the rest."""

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
