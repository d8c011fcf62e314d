from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceForm

from .models import ImportKind

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportForm(ServiceForm):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[(k, ImportKind(k).label) for k in
                 (ImportKind.TASKS, ImportKind.TARGETS, ImportKind.MEASUREMENTS)])
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    check_only = forms.BooleanField(
        label=_("Only check the file; change nothing"), required=False)


class DecisionImportForm(ServiceForm):
    file = forms.FileField(label=_("Appendix of the decision (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    number = forms.CharField(label=_("Decision number"), max_length=60,
                             help_text=_("For example: 125/QĐ-UBND"))
    title = forms.CharField(label=_("Title of the decision"), max_length=500)
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DateInput())
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    issue = forms.BooleanField(
        label=_("Issue each task whose six clears are all present"), required=False)
    check_only = forms.BooleanField(
        label=_("Only check the file; change nothing"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data

    def options(self):
        return {key: self.cleaned_data[key] for key in
                ("number", "title", "issued_on", "period_start", "period_end", "issue")}
