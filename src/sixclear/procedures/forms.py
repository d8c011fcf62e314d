from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceForm
from sixclear.orgs.models import Role
from sixclear.tracking.forms import isolated, person_option

from .models import CheckResult, Severity


def label_choices(form):
    """People by their names, other rows by code and name, each isolated so that Vietnamese
    keeps its order inside an Arabic page. Call once the querysets are set."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            if field.queryset.model._meta.model_name == "user":
                field.label_from_instance = person_option
            else:
                field.label_from_instance = lambda item: isolated(str(item))


class ProcedureForm(ServiceForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    shared_below = forms.BooleanField(label=_("Shared with the units below"), required=False)
    objectives = forms.ModelMultipleChoiceField(label=_("Quality objectives"), queryset=None,
                                                required=False)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, people, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["objectives"].queryset = targets
        label_choices(self)


class ProcedureEditForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    shared_below = forms.BooleanField(label=_("Shared with the units below"), required=False)
    objectives = forms.ModelMultipleChoiceField(label=_("Quality objectives"), queryset=None,
                                                required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, people, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["objectives"].queryset = targets
        label_choices(self)


class VersionForm(ServiceForm):
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class StepForm(forms.Form):
    name = forms.CharField(label=_("Step name"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"dir": "auto"}))
    role = forms.ChoiceField(label=_("Role that does it"), choices=Role.choices,
                             initial=Role.OFFICER)
    days = forms.IntegerField(label=_("Working days"), min_value=0, max_value=365,
                              required=False)
    records = forms.CharField(label=_("Records it produces"), max_length=500, required=False,
                              widget=forms.TextInput(attrs={"dir": "auto"}))


StepFormSet = forms.formset_factory(StepForm, extra=4, max_num=50)


def steps_of(formset):
    """The filled rows of a valid step formset, in order."""
    return [{"name": form.cleaned_data.get("name", ""), "role": form.cleaned_data.get("role"),
             "days": form.cleaned_data.get("days"),
             "records": form.cleaned_data.get("records", "")}
            for form in formset.forms
            if form.cleaned_data.get("name") or form.cleaned_data.get("days") is not None]


class CaseForm(ServiceForm):
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=None)
    reference = forms.CharField(label=_("Reference"), max_length=60)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    applicant = forms.CharField(label=_("Applicant"), max_length=300, required=False)
    opened_on = forms.DateField(label=_("Received on"), widget=DateInput())
    handler = forms.ModelChoiceField(label=_("First step handled by"), queryset=None,
                                     required=False)

    def __init__(self, *args, procedures, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["handler"].queryset = people
        label_choices(self)


class HandOverForm(ServiceForm):
    to = forms.ModelChoiceField(label=_("Hand over to"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people
        label_choices(self)


class SuspendForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResumeForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=365)
    version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))


class NonconformityForm(ServiceForm):
    description = forms.CharField(label=_("What did not conform"), widget=forms.Textarea(
        attrs={"rows": 3}))
    clause = forms.CharField(label=_("ISO 9001 clause"), max_length=20, required=False)
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=None, required=False)
    case = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, procedures, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["case"].queryset = cases
        label_choices(self)


class AnalyseForm(ServiceForm):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectiveActionForm(ServiceForm):
    title = forms.CharField(label=_("Corrective action"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    expected_result = forms.CharField(label=_("Expected result"), max_length=1000)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        label_choices(self)


class ReviewPlanForm(ServiceForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approve", _("Approve the plan and issue its actions")),
        ("return", _("Return the plan"))], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(ServiceForm):
    effectiveness = forms.CharField(label=_("How the actions' effectiveness was checked"),
                                    widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)



class AuditForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    auditor = forms.ModelChoiceField(label=_("Auditor"), queryset=None)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput())
    scope = forms.CharField(label=_("Scope"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    checklist = forms.CharField(
        label=_("Checklist"), widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("One item a line: clause | procedure code | what is checked, e.g. "
                    "“8.5.1 | QT-01 | Đơn được xác minh đúng thời hạn”. The clause and the "
                    "procedure may be left empty."))

    def __init__(self, *args, people, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = people
        self.procedures = {procedure.code: procedure for procedure in procedures}
        label_choices(self)

    def clean_checklist(self):
        checks, unknown = [], []
        for line in self.cleaned_data["checklist"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            clause, code, criterion = (["", "", *parts][-3:] if len(parts) < 3
                                       else [parts[0], parts[1], " | ".join(parts[2:])])
            if code and code not in self.procedures:
                unknown.append(code)
            checks.append({"clause": clause, "procedure": self.procedures.get(code),
                           "criterion": criterion})
        if unknown:
            raise forms.ValidationError(_("No procedure with the code %(codes)s here.")
                                        % {"codes": ", ".join(unknown)})
        return checks


class CheckForm(ServiceForm):
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices)
    note = forms.CharField(label=_("Finding"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(ServiceForm):
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(ServiceForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), required=False)
    decisions = forms.CharField(label=_("Decisions and actions"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput)
