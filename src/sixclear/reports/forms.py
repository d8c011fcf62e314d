from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sixclear.forms import ServiceForm

from .models import ReportFormat
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
