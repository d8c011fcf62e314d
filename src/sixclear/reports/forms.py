from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ManyOptionsSelect, ReadOnce, ServiceForm

from .models import IssuingBody, ReportFormat, SigningCapacity
from .periods import PeriodKind

SCHEDULE_KINDS = [(k, label) for k, label in PeriodKind.choices
                  if k in ("month", "quarter", "half", "year")]


class ReportRequestForm(ServiceForm):
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices,
                                    initial=PeriodKind.QUARTER)
    year = forms.IntegerField(label=_("Year"), help_text=_("For a term review: its first year."))
    period_number = forms.IntegerField(
        label=_("Month, quarter or half"), required=False, min_value=0,
        help_text=_("1–12 for a month, 1–4 for a quarter, 1–2 for six months; for a term "
                    "review, the term's last year. Empty for a year."))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices,
                               initial=ReportFormat.PDF)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, language="vi", **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["period_number"].initial = (today.month - 1) // 3 + 1
        self.fields["language"].initial = language

    def clean_period_number(self):
        return self.cleaned_data.get("period_number") or 0


class ScheduleForm(ServiceForm):
    period_kind = forms.ChoiceField(label=_("Period"), choices=SCHEDULE_KINDS,
                                    initial=PeriodKind.MONTH)
    day_of_month = forms.IntegerField(
        label=_("Day"), initial=20, min_value=0, max_value=28,
        help_text=_("1–28: that day of the period's last month; 0: the period's last day."))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices,
                               initial=ReportFormat.PDF)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VerifyForm(ServiceForm):
    document = forms.FileField(label=_("Signed PDF"))

    MAX_BYTES = 30 * 1024 * 1024

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 30 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF."))
        return upload


class SignerForm(ServiceForm):
    """Who signs the unit's reports, and which body issues them."""

    issuing_body = forms.ChoiceField(label=_("Reports are issued by"), choices=IssuingBody.choices,
                                     initial=IssuingBody.PARTY)
    # The people of the unit and of every unit above it: hundreds at a province or a commune.
    signer = forms.ModelChoiceField(label=_("Signer"), queryset=None, widget=ManyOptionsSelect)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120,
                                   help_text=_("As printed above the name, e.g. Secretary."))
    deputy = forms.ModelChoiceField(label=_("Deputy who may sign for them"), queryset=None,
                                    required=False, widget=ManyOptionsSelect)
    deputy_title = forms.CharField(label=_("Deputy's title"), max_length=120, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("signer", "deputy"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = (
                lambda user: user.get_full_name() or user.get_username())
        people_once = ReadOnce(self.fields["signer"].choices)
        for name in ("signer", "deputy"):
            self.fields[name].widget.choices = people_once


class NarrativeForm(ServiceForm):
    results = forms.CharField(label=_("Results achieved"), widget=forms.Textarea(attrs={
        "rows": 6}), required=False)
    shortcomings = forms.CharField(label=_("Shortcomings and their causes"),
                                   widget=forms.Textarea(attrs={"rows": 6}), required=False)
    next_tasks = forms.CharField(label=_("Tasks for the next period"),
                                 widget=forms.Textarea(attrs={"rows": 6}), required=False)
    capacity = forms.ChoiceField(label=_("Who signs"), choices=SigningCapacity.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
