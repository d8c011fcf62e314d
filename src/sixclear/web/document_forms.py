"""The forms of "From a document": the document to read, then its proposals as the person
corrects them (sixclear.extraction proposes, plans.services.create_from_document writes)."""

from datetime import date

from django import forms
from django.forms.utils import ErrorDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sixclear.extraction.reading import KINDS
from sixclear.forms import DateInput, ServiceForm
from sixclear.plans.models import (
    Direction,
    Program,
    ProgramKind,
    ProgramSection,
    Resolution,
    ResolutionItem,
    ResolutionItemKind,
    Target,
    TargetKind,
)
from sixclear.plans.rules import FIRST_YEAR, LAST_YEAR
from sixclear.tracking.documents import match_unit
from sixclear.tracking.models import Task

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
LANGUAGES = [("", _("Recognise it")), ("vi", "Tiếng Việt"), ("en", "English"),
             ("ar", "العربية")]
DOCUMENT_KINDS = [("resolution", capfirst(Resolution._meta.verbose_name)),
                  *ProgramKind.choices]


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class ReadForm(forms.Form):
    """Paste the text or upload the file (DOCX, PDF with a text layer, plain text)."""

    text = forms.CharField(label=_("Text of the document"), required=False,
                           max_length=MAX_TEXT_CHARS,
                           widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}))
    file = forms.FileField(label=_("Or a file"), required=False,
                           help_text=_("DOCX, PDF with a text layer, or plain text; at most "
                                       "5 MB."),
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".docx,.pdf,.txt"}))
    language = forms.ChoiceField(label=_("Language of the document"), choices=LANGUAGES,
                                 required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in KINDS or not suffix:
            raise forms.ValidationError(_("Give a DOCX, PDF or plain text file."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the text or choose a file."))
        return data


class DocumentForm(ServiceForm):
    """The document itself: a resolution or a program, as the header proposed it."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DOCUMENT_KINDS)
    number = forms.CharField(label=_label(Resolution, "number"), max_length=60)
    title = forms.CharField(label=_label(Resolution, "title"), max_length=500)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    term_start = forms.IntegerField(label=_label(Resolution, "term_start"),
                                    min_value=FIRST_YEAR, max_value=LAST_YEAR)
    term_end = forms.IntegerField(label=_label(Resolution, "term_end"),
                                  min_value=FIRST_YEAR, max_value=LAST_YEAR)
    resolution = forms.ModelChoiceField(label=_label(Program, "resolution"), required=False,
                                        queryset=Resolution.objects.none(),
                                        help_text=_("For a program: the resolution it "
                                                    "carries out."))
    error_fields = {"adopted_on": "issued_on", "period_start": "term_start",
                    "period_end": "term_end"}

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions

    def service_fields(self):
        data = self.cleaned_data
        if data["kind"] == "resolution":
            return {"kind": "resolution", "number": data["number"], "title": data["title"],
                    "term_start": data["term_start"], "term_end": data["term_end"],
                    "adopted_on": data["issued_on"]}
        start, end = data["term_start"], data["term_end"]
        return {"kind": data["kind"], "number": data["number"], "title": data["title"],
                "period_start": date(start, 1, 1), "period_end": date(end, 12, 31),
                "issued_on": data["issued_on"], "resolution": data["resolution"]}


class KeepForm(ServiceForm):
    """A proposal the person keeps or drops; what they type takes its own direction."""

    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    line = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def full_clean(self):
        # A dropped proposal is not checked: nothing of it will be written.
        if self.is_bound and not self.fields["keep"].widget.value_from_datadict(
                self.data, self.files, self.add_prefix("keep")):
            self._errors = ErrorDict()
            self.cleaned_data = {"keep": False}
            return
        super().full_clean()

    def kept(self):
        return bool(self.cleaned_data.get("keep"))


class ItemForm(KeepForm):
    kind = forms.ChoiceField(label=_label(Target, "kind"), choices=ResolutionItemKind.choices)
    title = forms.CharField(label=_label(ResolutionItem, "title"), max_length=300)
    text = forms.CharField(widget=forms.HiddenInput, required=False)


class ProgramForm(KeepForm):
    number = forms.CharField(label=_label(Program, "number"), max_length=60, required=False)
    title = forms.CharField(label=_label(Program, "title"), max_length=500)


class SectionForm(KeepForm):
    """A section (A, B, C …) of a program, as its heading named it."""

    code = forms.CharField(label=_label(ProgramSection, "code"), max_length=12, required=False)
    title = forms.CharField(label=_label(ProgramSection, "title"), max_length=300,
                            widget=forms.TextInput(attrs={"dir": "auto"}))


class PlacedForm(KeepForm):
    """A proposal that stands in a section of the document (its index among the sections
    proposed); a dropped section leaves it unplaced."""

    section = forms.TypedChoiceField(label=_label(Task, "program_section"), required=False,
                                     coerce=int,
                                     empty_value=None)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "---------"), *sections]


class TargetForm(PlacedForm):
    """One proposed target. The sentence it came from travels with it (hidden), so the page
    can show it again beside the corrected figures."""

    code = forms.CharField(label=_label(Target, "code"), max_length=40)
    name = forms.CharField(label=_label(Target, "name"), max_length=500,
                           widget=forms.TextInput(attrs={"dir": "auto"}))
    # An empty first choice: a blank row added for a new target stays blank until filled in.
    kind = forms.ChoiceField(label=_label(Target, "kind"),
                             choices=[("", "---------"), *TargetKind.choices])
    direction = forms.ChoiceField(label=_label(Target, "direction"),
                                  choices=[("", "---------"), *Direction.choices])
    unit_of_measure = forms.CharField(label=_label(Target, "unit_of_measure"), max_length=60,
                                      required=False)
    baseline_value = forms.DecimalField(label=_label(Target, "baseline_value"), required=False,
                                        max_digits=20, decimal_places=4)
    baseline_year = forms.IntegerField(label=_label(Target, "baseline_year"), required=False)
    target_value = forms.DecimalField(label=_label(Target, "target_value"), required=False,
                                      max_digits=20, decimal_places=4)
    annual_rate = forms.DecimalField(label=_label(Target, "annual_rate"), required=False,
                                     max_digits=8, decimal_places=3)
    annual_rate_high = forms.DecimalField(label=_label(Target, "annual_rate_high"),
                                          required=False, max_digits=8, decimal_places=3)
    target_year = forms.IntegerField(label=_label(Target, "target_year"), required=False)
    sentence = forms.CharField(widget=forms.HiddenInput, required=False)
    clause = forms.CharField(widget=forms.HiddenInput, required=False)
    inferred = forms.CharField(widget=forms.HiddenInput, required=False)

    FIGURES = ("code", "name", "kind", "direction", "unit_of_measure", "baseline_value",
               "baseline_year", "target_value", "annual_rate", "annual_rate_high",
               "target_year")

    def inferred_labels(self):
        """The fields the sentence did not state and the document gave (its period)."""
        names = (self["inferred"].value() or "").split(",")
        return ", ".join(str(field.label) for name, field in self.fields.items()
                         if name in names)

    def highlight(self):
        """The source sentence cut around the clause: (before, clause, after)."""
        sentence = self["sentence"].value() or ""
        clause = self["clause"].value() or ""
        at = sentence.find(clause) if clause else -1
        if at < 0:
            return sentence, "", ""
        return sentence[:at], clause, sentence[at + len(clause):]


class TaskForm(PlacedForm):
    """One proposed task, to be written as a draft: its title, lead unit (the units the
    person may choose, the one the text names chosen), deadline and result when the text
    gives them, and its task group (an item of the resolution, by its index)."""

    title = forms.CharField(label=_label(Task, "title"), max_length=500,
                            widget=forms.TextInput(attrs={"dir": "auto"}))
    group = forms.TypedChoiceField(label=_label(Task, "task_group"), required=False,
                                   coerce=int, empty_value=None)
    # Choices from one list of the units the person may choose (not a query per task).
    lead_unit = forms.TypedChoiceField(label=_label(Task, "lead_unit"), required=False,
                                       coerce=int, empty_value=None)
    deadline = forms.DateField(label=_label(Task, "deadline"), required=False,
                               widget=DateInput())
    expected_result = forms.CharField(label=_label(Task, "expected_result"), required=False,
                                      max_length=1000,
                                      widget=forms.TextInput(attrs={"dir": "auto"}))
    lead_text = forms.CharField(widget=forms.HiddenInput, required=False)
    sentence = forms.CharField(widget=forms.HiddenInput, required=False)

    FIELDS = ("title", "lead_unit", "deadline", "expected_result", "group", "section", "line")

    def __init__(self, *args, groups=(), lead_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "---------"), *groups]
        self.units = {unit.pk: unit for unit in lead_units}
        self.fields["lead_unit"].choices = [("", "---------"),
                                            *((unit.pk, str(unit)) for unit in lead_units)]

    def clean_lead_unit(self):
        chosen = self.cleaned_data.get("lead_unit")
        return None if chosen is None else self.units[chosen]


def _formset(form, extra=0):
    return forms.formset_factory(form, extra=extra, max_num=500, absolute_max=500,
                                 validate_max=True)


ItemFormSet = _formset(ItemForm)
ProgramFormSet = _formset(ProgramForm)
SectionFormSet = _formset(SectionForm)
TaskFormSet = _formset(TaskForm)


def target_formset(extra):
    return _formset(TargetForm, extra=extra)


def target_initial(proposal):
    """The target forms' initial values from an extraction's proposal (as JSON)."""
    rows = []
    for target in proposal["targets"]:
        growth = target["kind"] in (TargetKind.ANNUAL_GROWTH, TargetKind.GROWTH_RANGE)
        rows.append({
            "keep": True, "line": target["line"], "code": target["code"][:40],
            "name": target["indicator"] or target["clause"], "kind": target["kind"],
            "direction": target["direction"], "unit_of_measure": target["unit"][:60],
            "baseline_value": target["baseline_value"],
            "baseline_year": target["baseline_year"],
            "target_value": None if growth else target["target_value"],
            "annual_rate": target["annual_rate"], "annual_rate_high": target["annual_rate_high"],
            "target_year": target["target_year"], "sentence": target["sentence"],
            "clause": target["clause"], "inferred": ",".join(target["inferred"]),
            "section": target["section"] if _is_program(proposal) else None,
        })
    return rows


def _is_program(proposal):
    return proposal["document"]["kind"] != "resolution"


def section_initial(proposal):
    """A program's headings become its sections; a resolution's are its items' kinds."""
    if not _is_program(proposal):
        return []
    return [{"keep": True, "line": section["line"], "code": section.get("code", "")[:12],
             "title": section["title"][:300]} for section in proposal["sections"]]


def task_initial(proposal, lead_units, text):
    """The proposed tasks, their lead unit matched by name among `lead_units`, each with the
    line of `text` it came from."""
    units = list(lead_units)
    source = text.split("\n")

    def line_of(number):
        return source[number - 1].strip() if 0 < number <= len(source) else ""
    return [{"keep": True, "line": task["line"], "title": task["title"][:500],
             "group": task["group"] if not _is_program(proposal) else None,
             "section": task.get("section") if _is_program(proposal) else None,
             "lead_unit": getattr(match_unit(task["lead_unit"], units), "pk", None),
             "lead_text": task["lead_unit"] or "", "deadline": task["deadline"],
             "expected_result": (task["result"] or "")[:1000],
             "sentence": line_of(task["line"])} for task in proposal["tasks"]]


def _labelled(code, title):
    return f"{code}. {title}" if code else title


def section_choices(proposal=None, data=None):
    """The sections a target or task may be placed in, by index: from the proposal, or from
    the sections as posted (corrected titles, dropped ones still listed)."""
    if proposal is not None:
        return [(index, _labelled(row["code"], row["title"]))
                for index, row in enumerate(section_initial(proposal))]
    return [(index, _labelled(data.get(f"section-{index}-code", ""),
                              data.get(f"section-{index}-title", "")))
            for index in range(_count(data, "section"))]


def group_choices(proposal=None, data=None):
    """The task groups a task may stand under, by the item's index."""
    if proposal is not None:
        return [(index, item["title"]) for index, item in enumerate(proposal["items"])
                if item["kind"] == ResolutionItemKind.TASK_GROUP and not _is_program(proposal)]
    return [(index, data.get(f"item-{index}-title", "")) for index in range(_count(data, "item"))
            if data.get(f"item-{index}-kind") == ResolutionItemKind.TASK_GROUP]


def _count(data, prefix):
    try:
        return min(int(data.get(f"{prefix}-TOTAL_FORMS") or 0), 500)
    except ValueError:
        return 0


def item_initial(proposal):
    # The tasks listed under a task group are proposed as tasks of their own (task_initial).
    # Viewpoints, breakthroughs and task groups are a resolution's: a program has sections.
    if _is_program(proposal):
        return []
    return [{"keep": True, "line": item["line"], "kind": item["kind"], "title": item["title"],
             "text": item["text"]} for item in proposal["items"]]


def program_initial(proposal):
    return [{"keep": True, "line": program["line"], "number": program["number"] or "",
             "title": program["title"]} for program in proposal["programs"]]


def document_initial(proposal):
    document = proposal["document"]
    period = document.get("period") or {}
    return {"kind": document["kind"], "number": (document["number"] or "")[:60],
            "title": (document["title"] or "")[:500], "issued_on": document["date"],
            "term_start": period.get("start"), "term_end": period.get("end")}
