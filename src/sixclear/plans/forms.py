"""Forms of the resolution and program pages. They parse input; plans.services decides what is
allowed and says what is wrong, field by field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sixclear.forms import DateInput, ServiceErrors, ServiceForm

from .models import (
    Program,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    ResolutionStatus,
)


class Conflicts:
    """After a stale edit: keep the person's input, show beside each field what someone else
    saved meanwhile, and take the current version so that saving again is a deliberate
    choice."""

    def show_conflicts(self, current, changed=None):
        """`changed` names the fields others changed (from the history); without it, every
        field whose saved value differs from the input is shown."""
        self.conflicts = {}
        for name, mine in self.cleaned_data.items():
            if name == "version" or name not in self.fields:
                continue
            theirs = getattr(current, name, None)
            if changed is not None:
                differs = name in changed
            else:
                differs = (getattr(mine, "pk", mine) or None) != (
                    getattr(theirs, "pk", theirs) or None)
            if differs:
                self.conflicts[name] = self._display(current, name)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version

    @staticmethod
    def _display(current, name):
        display = getattr(current, f"get_{name}_display", None)
        value = display() if display else getattr(current, name)
        return str(value) if value not in (None, "") else "—"

    def rows(self, wide=()):
        """(field, note, conflict, wide) as form_field.html shows them."""
        conflicts = getattr(self, "conflicts", {})
        return [(self[name], None, conflicts.get(name), name in wide)
                for name in self.fields if name != "version"]


class VersionedForm(Conflicts, ServiceErrors, forms.ModelForm):
    """A model form saved through a service, never `form.save()`; `version` is the row's
    version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The model's own validation runs in the service, with the acting user's rules.
        pass

    def changes(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def field_rows(self):
        return self.rows(self.wide)


class ResolutionForm(VersionedForm):
    wide = ("title", "issuing_body", "summary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status only moves forward (draft → adopted → superseded): offer no way back.
        stored = self.instance.status if self.instance.pk else ResolutionStatus.DRAFT
        order = list(ResolutionStatus.values)
        self.fields["status"].choices = [
            (value, label) for value, label in ResolutionStatus.choices
            if order.index(value) >= order.index(stored)]

    class Meta:
        model = Resolution
        fields = ["number", "title", "issuing_body", "term_start", "term_end", "status",
                  "adopted_on", "summary"]
        widgets = {"adopted_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "status": _("Draft while it is written; adopted from its adoption date (its items "
                        "and its targets' figures are then fixed); superseded when a later "
                        "resolution replaces it."),
        }


class ProgramForm(VersionedForm):
    wide = ("title", "issuing_body", "summary")

    class Meta:
        model = Program
        fields = ["kind", "number", "title", "issuing_body", "issued_on", "period_start",
                  "period_end", "resolution", "summary"]
        widgets = {"issued_on": DateInput(), "period_start": DateInput(),
                   "period_end": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "issued_on": _("Once it is issued, the targets it carries keep their figures unless "
                           "the leaders re-baseline them."),
        }

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions
        self.fields["resolution"].label_from_instance = lambda r: f"\u2068{r}\u2069"


class ItemForm(VersionedForm):
    wide = ("title", "text")

    class Meta:
        model = ResolutionItem
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class NewItemForm(ServiceForm):
    kind = forms.ChoiceField(choices=ResolutionItemKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kind = kwargs.pop("kind", None)
        super().__init__(*args, **kwargs)
        if kind:
            self.fields["kind"].initial = kind
            self.auto_id = f"id_{kind}_%s"


class SectionForm(VersionedForm):
    wide = ("title", "summary")

    class Meta:
        model = ProgramSection
        fields = ["code", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class NewSectionForm(ServiceForm):
    code = forms.CharField(label=_("Label"), max_length=12, required=False,
                           help_text=_("As the document numbers it, for example A or I."))
    title = forms.CharField(label=_("Title"), max_length=300)


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ArrangeForm(forms.Form):
    """Which section each of the program's targets and tasks is in: one choice a row."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, program, sections, targets, tasks, placed, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {str(section.pk): section for section in sections}
        choices = [("", _("No section")), *[
            (str(section.pk), f"\u2068{section}\u2069") for section in sections]]
        self.target_rows, self.task_rows = [], []
        for kind, rows, out in (("target", targets, self.target_rows),
                                ("task", tasks, self.task_rows)):
            for row in rows:
                name = f"{kind}_{row.pk}"
                title = row.name if kind == "target" else row.title
                self.fields[name] = forms.ChoiceField(
                    label=f"\u2068{row.code}\u2069 · \u2068{title}\u2069",
                    choices=choices, required=False,
                    initial=str(placed.get((kind, row.pk)) or ""))
                out.append((row, name))
        if not self.is_bound:
            self.fields["version"].initial = program.version

    def target_fields(self):
        return [self[name] for _row, name in self.target_rows]

    def task_fields(self):
        return [self[name] for _row, name in self.task_rows]

    def placement(self):
        """({target: section or None}, {task: section or None})."""
        pick = self.sections.get
        return ({row: pick(self.cleaned_data.get(name) or "") for row, name in self.target_rows},
                {row: pick(self.cleaned_data.get(name) or "") for row, name in self.task_rows})
