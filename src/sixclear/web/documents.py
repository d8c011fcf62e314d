"""From a document: a manager pastes or uploads a resolution or program, Sixclear proposes
its structure, targets and tasks (sixclear.extraction), the manager corrects, drops or adds
and accepts; tracking.documents.create_from_document writes it all or nothing (the tasks as
drafts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sixclear.extraction import UnreadableDocument, extract, read_bytes
from sixclear.extraction.reading import normalize
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.plans.rules import target_reference_choices
from sixclear.tracking import documents
from sixclear.tracking.rules import task_reference_choices

from .document_forms import (
    DocumentForm,
    ItemFormSet,
    ProgramFormSet,
    ReadForm,
    SectionFormSet,
    TaskFormSet,
    document_initial,
    group_choices,
    item_initial,
    program_initial,
    section_choices,
    section_initial,
    target_formset,
    target_initial,
    task_initial,
)

TEMPLATE = "plans/from_document.html"


def _unit_for_manager(request, unit_pk):
    unit = get_object_or_404(visible_units(request.user), pk=unit_pk)
    if not reaches_unit(request.user, unit, Role.MANAGER):
        raise PermissionDenied
    return unit


def _forms(unit, data=None, proposal=None, extra=0, text=""):
    resolutions = target_reference_choices(unit)["resolution"]
    lead_units = list(task_reference_choices(unit)["lead_unit"])
    if proposal is not None:
        sections = section_choices(proposal=proposal)
        return {
            "document_form": DocumentForm(prefix="doc", initial=document_initial(proposal),
                                          resolutions=resolutions),
            "items": ItemFormSet(prefix="item", initial=item_initial(proposal)),
            "programs": ProgramFormSet(prefix="program", initial=program_initial(proposal)),
            "sections": SectionFormSet(prefix="section", initial=section_initial(proposal)),
            "targets": target_formset(1)(prefix="target", initial=target_initial(proposal),
                                         form_kwargs={"sections": sections}),
            "tasks": TaskFormSet(prefix="task", initial=task_initial(proposal, lead_units, text),
                                 form_kwargs={"sections": sections, "lead_units": lead_units,
                                              "groups": group_choices(proposal=proposal)}),
        }
    sections = section_choices(data=data)
    return {
        "document_form": DocumentForm(data, prefix="doc", resolutions=resolutions),
        "items": ItemFormSet(data, prefix="item"),
        "programs": ProgramFormSet(data, prefix="program"),
        "sections": SectionFormSet(data, prefix="section"),
        "targets": target_formset(extra)(data, prefix="target",
                                         form_kwargs={"sections": sections}),
        "tasks": TaskFormSet(data, prefix="task",
                             form_kwargs={"sections": sections, "lead_units": lead_units,
                                          "groups": group_choices(data=data)}),
    }


def _page(request, unit, **context):
    context.setdefault("read_form", ReadForm())
    return render(request, TEMPLATE, {"unit": unit, "trail": unit_trail(request.user, unit),
                                      **context})


@login_required
def from_document(request, unit_pk):
    unit = _unit_for_manager(request, unit_pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "accept":
        return _accept(request, unit)
    if action in ("add", "add_task"):  # a blank target or task to fill in
        prefix = "task" if action == "add_task" else "target"
        data = request.POST.copy()
        try:
            count = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        except ValueError:
            count = 0
        data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
        data[f"{prefix}-{count}-keep"] = "on"
        return _page(request, unit, **_forms(unit, data), reviewing=True)
    if action != "read":
        return _page(request, unit)
    read_form = ReadForm(request.POST, request.FILES)
    if not read_form.is_valid():
        return _page(request, unit, read_form=read_form)
    upload = read_form.cleaned_data["file"]
    try:
        text = read_bytes(upload.read(), upload.name) if upload else normalize(
            read_form.cleaned_data["text"])
    except UnreadableDocument:
        read_form.add_error("file", _("No text could be read from this file. A scanned PDF "
                                      "has no text layer: paste the text instead."))
        return _page(request, unit, read_form=read_form)
    proposal = extract(text, language=read_form.cleaned_data["language"] or None).as_dict()
    return _page(request, unit, **_forms(unit, proposal=proposal, text=text), reviewing=True,
                 language=proposal["language"])


def _kept(formset):
    """The kept forms and, for each kept form's index in the formset, its index among them."""
    kept = [(index, form) for index, form in enumerate(formset) if form.kept()]
    return [form for _index, form in kept], {index: at for at, (index, _f) in enumerate(kept)}


def _accept(request, unit):
    forms = _forms(unit, request.POST)
    if not all(form.is_valid() for form in forms.values()):
        return _page(request, unit, **forms, reviewing=True)
    document_form = forms["document_form"]
    document = document_form.service_fields()
    is_resolution = document["kind"] == "resolution"
    items, item_at = _kept(forms["items"])
    sections, section_at = _kept(forms["sections"])
    kept_targets = [{**{name: form.cleaned_data[name] for name in (*form.FIGURES, "line")},
                     "section": section_at.get(form.cleaned_data["section"])}
                    for form in forms["targets"] if form.kept()]
    kept_tasks = [{**{name: form.cleaned_data[name] for name in form.FIELDS},
                   "group": item_at.get(form.cleaned_data["group"]) if is_resolution else None,
                   "section": None if is_resolution
                   else section_at.get(form.cleaned_data["section"])}
                  for form in forms["tasks"] if form.kept()]
    try:
        created = documents.create_from_document(
            actor=request.user, unit=unit, document=document, targets=kept_targets,
            tasks=kept_tasks,
            items=[form.cleaned_data for form in items] if is_resolution else [],
            programs=[form.cleaned_data for form in forms["programs"] if form.kept()]
            if is_resolution else [],
            sections=[] if is_resolution else [form.cleaned_data for form in sections])
    except ValidationError as error:
        refusals = []
        if hasattr(error, "error_dict"):
            rest = error.message_dict
            refusals = rest.pop("targets", [])
            if rest:
                document_form.add_service_error(ValidationError(rest))
        else:
            document_form.add_service_error(error)
        return _page(request, unit, **forms, reviewing=True, refusals=refusals)
    messages.success(request, _("Created from the document. Targets: %(count)s. Draft tasks: "
                                "%(tasks)s.") % {"count": len(kept_targets),
                                                 "tasks": len(kept_tasks)})
    if is_resolution:
        return redirect("plans:resolution", pk=created.pk)
    return redirect("plans:program", pk=created.pk)
