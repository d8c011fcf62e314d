from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sixclear.forms import ServiceForm

from .models import Grade, Level, Method


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OpenRoundForm(ServiceForm):
    year = forms.IntegerField(label=pgettext_lazy("evaluation", "Year"), min_value=1945,
                              max_value=2100)
    level = forms.ChoiceField(label=_("Who is evaluated"), choices=Level.choices)


def _points_field(line, label):
    return forms.DecimalField(label=label, required=False, min_value=0,
                              max_value=line.criterion.points, decimal_places=2,
                              max_digits=6, localize=True)


class SelfAssessmentForm(ServiceForm):
    """Points on the manual criteria, a note on any, the proposed grade and a comment."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    proposed_grade = forms.ChoiceField(label=_("Proposed grade"), required=False,
                                       choices=[("", "—"), *Grade.choices])
    comment = forms.CharField(label=_("Self-assessment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for view in self.lines:
            code = view.criterion.code
            if view.criterion.method == Method.MANUAL:
                self.fields[f"points_{code}"] = _points_field(
                    view.line, _("Points you give (at most %(points)s)")
                    % {"points": view.criterion.points})
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2,
                                                                               "dir": "auto"}))

    def scores(self):
        data = self.cleaned_data
        return {view.criterion.code: (data.get(f"points_{view.criterion.code}"),
                                      data.get(f"note_{view.criterion.code}", ""))
                for view in self.lines}


class ReviewForm(ServiceForm):
    """The level above: adjusted points with their reasons, disqualifiers, the decision."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Review"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, lines=(), vetoes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines, self.vetoes = list(lines), list(vetoes)
        for view in self.lines:
            code = view.criterion.code
            self.fields[f"points_{code}"] = _points_field(
                view.line, _("Decided points (at most %(points)s)")
                % {"points": view.criterion.points})
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("Why"), required=False,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
        for veto in self.vetoes:
            self.fields[f"apply_{veto['code']}"] = forms.BooleanField(
                label=_("Applies"), required=False)
            self.fields[f"veto_{veto['code']}"] = forms.CharField(
                label=_("Decision or record"), required=False,
                widget=forms.TextInput(attrs={"dir": "auto"}))

    def adjustments(self):
        data = self.cleaned_data
        return {view.criterion.code: (data.get(f"points_{view.criterion.code}"),
                                      data.get(f"reason_{view.criterion.code}", ""))
                for view in self.lines}

    def applied_vetoes(self):
        data = self.cleaned_data
        return {veto["code"]: data.get(f"veto_{veto['code']}", "") for veto in self.vetoes
                if data.get(f"apply_{veto['code']}")}


class CriteriaSetForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=pgettext_lazy("evaluation", "Name"), max_length=300)
    excellent_min = forms.DecimalField(label=_("Points for “excellently completed”"),
                                       localize=True)
    good_min = forms.DecimalField(label=_("Points for “well completed”"), localize=True)
    complete_min = forms.DecimalField(label=_("Points for “completed”"), localize=True)
    cap_share = forms.DecimalField(
        label=_("“Excellent” at most this share of those graded “good” or better (0–1)"),
        localize=True)


class CriterionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=300, required=False)
    citation = forms.CharField(label=_("Article cited"), max_length=300, required=False)
    points = forms.DecimalField(label=_("Points"), localize=True)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    full_at = forms.DecimalField(label=_("Full points from this share (0–1)"), localize=True)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—")] + [(m.key, m.label) for m in measures]


class NewCriterionForm(CriterionForm):
    code = forms.CharField(label=_("Code"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["version", "code", "title"])


class RequirementForm(ServiceForm):
    """A grade's requirement on one criterion's share; an empty share removes it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.ChoiceField(label=_("Grade"), choices=[
        (grade.value, grade.label) for grade in (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETE)])
    criterion = forms.ChoiceField(label=_("Criterion"))
    min_ratio = forms.DecimalField(
        label=_("At least this share (0–1); empty removes the requirement"), required=False,
        localize=True)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.code, f"{c.code} · {c.label}") for c in criteria]


class DeriveForm(ServiceForm):
    unit = forms.ModelChoiceField(label=_("For the unit"), queryset=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReplyForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(label=_("Your reply to the decision"),
                            widget=forms.Textarea(attrs={"rows": 3}))


class AddProposalForm(ServiceForm):
    subject = forms.ChoiceField(label=_("Collective"))
    title = forms.ChoiceField(label=_("Emulation title"))
    reason = forms.CharField(label=_("Why it is proposed"),
                             widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))

    def __init__(self, *args, subjects=(), titles=(), persons=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s.pk, s.name) for s in subjects]
        if persons:
            self.fields["subject"].label = pgettext_lazy("evaluation", "Person")
        self.fields["title"].choices = list(titles)


class InitiativeForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    initiative = forms.CharField(
        label=_("Initiative or solution recognised"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    reference = forms.CharField(
        label=_("Recognised by (document number and date)"), required=False, max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}))


class WithdrawProposalForm(ServiceForm):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why it is withdrawn"),
                             widget=forms.TextInput(attrs={"dir": "auto"}))
