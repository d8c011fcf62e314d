"""The yearly evaluation as a Word document (python-docx), in the reader's language: what the
evaluation page shows, and the management review when there is one, ready to be signed."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from sixclear.numbers import NumberKind, format_number
from sixclear.orgs.models import Unit

from .models import NonconformityState, Severity
from .selectors import Evaluation


def _percent(rate: Any) -> str:
    return f"{format_number(rate.percent, NumberKind.PERCENT)} %" if rate.done else "—"


def evaluation_docx(unit: Unit, evaluation: Evaluation, review: Any = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rtl = get_language_bidi()
    document = Document()

    def para(text: str, *, bold: bool = False, style: str | None = None) -> None:
        paragraph = document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold
        if rtl:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.element.get_or_add_pPr().set(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi", "1")

    def table(header: list[str], rows: list[list[str]]) -> None:
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text

    para(_("Quality management of %(name)s in %(year)s")
         % {"name": unit.name, "year": evaluation.year}, bold=True)
    para(_("Performance of each procedure against its objectives"), bold=True)
    rows = []
    for procedure, cases, steps in evaluation.performance.by_procedure:
        objectives = "; ".join(
            f"{target.code} ({target.health.get_status_display()})"
            if getattr(target, "health", None) else target.code
            for target in evaluation.objectives.get(procedure.pk, []))
        rows.append([f"{procedure.code} {procedure.name}",
                     format_number(cases.done, NumberKind.COUNT), _percent(cases),
                     _percent(steps), objectives or "—"])
    table([_("Procedure"), _("Cases closed"), _("On time"), _("Steps on time"),
           _("Quality objectives")], rows)
    para(_("Nonconformities raised in the year"), bold=True)
    table([_("State"), _("Nonconformities")],
          [[str(label), format_number(evaluation.nonconformities.get(value, 0),
                                      NumberKind.COUNT)]
           for value, label in NonconformityState.choices])
    table([_("Severity"), _("Nonconformities")],
          [[str(label), format_number(evaluation.by_severity.get(value, 0), NumberKind.COUNT)]
           for value, label in Severity.choices])
    para(_("Their corrective actions (tasks)"), bold=True)
    table([_("State"), _("Corrective actions")],
          [[str(label), format_number(count, NumberKind.COUNT)]
           for label, count in ((_("done"), evaluation.actions.get("done", 0)),
                                (_("late"), evaluation.actions.get("late", 0)))])
    if review is not None:
        para(_("Management review"), bold=True)
        para(review.inputs)
        para(_("Decisions and actions"), bold=True)
        para(review.decisions or "—")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
