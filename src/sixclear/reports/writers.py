"""The three writers of a report, and the two of a decision appendix. Each renders the same
plain content (`selectors.report_content`, `selectors.decision_appendix`)."""

import re
from html import escape
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from sixclear.spreadsheet_safety import keep_text, xlsx_value

from . import charts
from .requirements import require_file
from .sections import appendix_columns, cell_text, document_note, report_sections, sheet_note
from .selectors import issued_date_line, long_date, narrative_titles

# (family, weight, style, file) from Debian's fonts-noto-core.
FONT_FILES = [
    ("Noto Serif", "normal", "normal", "NotoSerif-Regular.ttf"),
    ("Noto Serif", "bold", "normal", "NotoSerif-Bold.ttf"),
    ("Noto Serif", "normal", "italic", "NotoSerif-Italic.ttf"),
    ("Noto Serif", "bold", "italic", "NotoSerif-BoldItalic.ttf"),
    ("Noto Naskh Arabic", "normal", "normal", "NotoNaskhArabic-Regular.ttf"),
    ("Noto Naskh Arabic", "bold", "normal", "NotoNaskhArabic-Bold.ttf"),
]


def motto():
    return _("SOCIALIST REPUBLIC OF VIET NAM"), _("Independence – Freedom – Happiness")


def narrative_sections(content):
    """[(title, [paragraph, ...])] of the report's words, in order, empty parts left out."""
    parts = []
    for key, title in narrative_titles():
        paragraphs = [line.strip() for line in (content.narrative.get(key) or "").splitlines()
                      if line.strip()]
        if paragraphs:
            parts.append((title, paragraphs))
    return parts


# --- DOCX (python-docx), laid out per Decree 30/2020/ND-CP -------------------------------

def _docx_setup(document, *, landscape=False):
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210),
                                                                                     Mm(297))
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    # Decree 30/2020, appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.element.rPr.rFonts.set(qn("w:cs"), "Times New Roman")
    style.paragraph_format.space_after = Pt(3)


def _rtl(paragraph):
    from docx.oxml import OxmlElement

    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _para(container, text, *, bold=False, italic=False, size=None, align=None, rtl=False,
          upper=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    run = paragraph.add_run(text.upper() if upper else text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if rtl:
        _rtl(paragraph)
    return paragraph


def _bare_table(document, rows, cols, rtl):
    from docx.oxml import OxmlElement

    table = document.add_table(rows=rows, cols=cols)
    table.autofit = True
    if rtl:
        table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    return table


def _heading_block(document, *, parent_name, unit_name, number_line, date_line, rtl,
                   mottos=None, party=False):
    """The issuing body (under its superior), its number, beside the motto (the national
    motto, or "ĐẢNG CỘNG SẢN VIỆT NAM" for a party committee) and the place and date."""
    table = _bare_table(document, 1, 2, rtl)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    if parent_name:
        _para(left, parent_name, size=13, align="center", upper=True, rtl=rtl)
    _para(left, unit_name, bold=True, size=13, align="center", upper=True, rtl=rtl)
    _para(left, "*" if party else "———", align="center", size=9 if not party else 13)
    _para(left, number_line, size=13, align="center", rtl=rtl)
    first, second = mottos or motto()
    right.paragraphs[0].text = ""
    heading = _para(right, first, bold=True, size=12 if second else 13, align="center",
                    rtl=rtl)
    if party:
        for run in heading.runs:
            run.underline = True
    if second:
        _para(right, second, bold=True, size=13, align="center", rtl=rtl)
    _para(right, "———————", align="center", size=9)
    _para(right, date_line, italic=True, size=13, align="center", rtl=rtl)


def _docx_table(document, columns, rows, rtl, *, size=10):
    from docx.shared import Pt

    table = _bare_table(document, 1, len(columns), rtl)
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(column.label)
        run.bold, run.font.size = True, Pt(size)
        if rtl:
            _rtl(cell.paragraphs[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, column in zip(cells, columns, strict=True):
            run = cell.paragraphs[0].add_run(cell_text(row.get(column.key), column.kind))
            run.font.size = Pt(size)
            if rtl:
                _rtl(cell.paragraphs[0])
    return table


def _signature_block(document, *, recipients, signer_lines, signer_name, rtl):
    """Recipients beside the signer's block: the lines of the capacity, space for the
    signature, the name. "(Signed)" is not printed: only a signed copy carries a signature."""
    table = _bare_table(document, 1, 2, rtl)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    _para(left, _("Recipients:"), bold=True, italic=True, size=12, rtl=rtl)
    for name in recipients:
        _para(left, f"- {name};", size=11, rtl=rtl)
    right.paragraphs[0].text = ""
    for line in signer_lines or [_("On behalf of the unit")]:
        _para(right, line, bold=True, size=13, align="center", upper=True, rtl=rtl)
    for _blank in range(4):
        _para(right, "", size=13)
    _para(right, signer_name, bold=True, size=13, align="center", rtl=rtl)


def _docx_orientation(document, *, landscape):
    """Start a new section (on a new page) in portrait or landscape A4."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210),
                                                                                     Mm(297))
    if landscape:
        section.top_margin = section.bottom_margin = Mm(15)
        section.left_margin = section.right_margin = Mm(20)
    else:
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)


def report_docx(content):
    from docx import Document

    rtl = get_language_bidi()
    document = Document()
    _docx_setup(document)
    _heading_block(
        document, parent_name=content.superior_line, unit_name=content.issuer_line,
        number_line=number_line(content, rtl), date_line=issued_date_line(content), rtl=rtl,
        mottos=content.motto, party=content.issuing_body == "party",
    )
    _para(document, _("REPORT"), bold=True, size=14, align="center", rtl=rtl)
    _para(document, content.title, bold=True, size=14, align="center", rtl=rtl)
    _para(document, content.period_label, bold=True, size=14, align="center", rtl=rtl)
    _para(document, _("From %(start)s to %(end)s, covering %(unit)s and its sub-units.") % {
        "start": long_date(content.period_start), "end": long_date(content.period_end),
        "unit": content.unit_name,
    }, align="justify", rtl=rtl)
    parts = narrative_sections(content)
    for index, (title, paragraphs) in enumerate(parts, start=1):
        _para(document, f"{index}. {title}", bold=True, size=13, rtl=rtl)
        for paragraph in paragraphs:
            _para(document, paragraph, align="justify", rtl=rtl)
    figures = len(parts) + 1
    _para(document, f"{figures}. {_('Figures in detail')}", bold=True, size=13, rtl=rtl)
    landscape = False
    for index, section in enumerate(report_sections(content), start=1):
        if section.wide != landscape:  # wide tables on landscape pages of their own
            landscape = section.wide
            _docx_orientation(document, landscape=landscape)
        _para(document, f"{figures}.{index}. {section.title}", bold=True, size=13, rtl=rtl)
        if section.listed:
            _docx_table(document, section.columns, section.listed, rtl)
            note = document_note(section)
            if note:
                _para(document, note, italic=True, size=11, rtl=rtl)
        else:
            _para(document, _("None in this period."), italic=True, size=12, rtl=rtl)
    if landscape:
        _docx_orientation(document, landscape=False)
    _signature_block(document, recipients=content.recipients,
                     signer_lines=content.signature.lines if content.signature else [],
                     signer_name=content.signer_name, rtl=rtl)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def appendix_docx(appendix):
    from docx import Document

    rtl = get_language_bidi()
    document = Document()
    _docx_setup(document, landscape=True)
    _heading_block(
        document, parent_name=appendix.parent_name, unit_name=appendix.unit_name,
        number_line="", date_line="", rtl=rtl,
    )
    _para(document, _("APPENDIX"), bold=True, size=14, align="center", rtl=rtl)
    _para(document, _("Tasks, responsibilities and deadlines"), bold=True, size=14,
          align="center", rtl=rtl)
    _para(document, appendix_reference(appendix), italic=True, size=13, align="center", rtl=rtl)
    _docx_table(document, appendix_columns(), appendix.rows, rtl, size=11)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def appendix_reference(appendix):
    if appendix.issued_on:
        return _("(Attached to decision No. %(number)s of %(date)s: %(title)s)") % {
            "number": appendix.program_number, "title": appendix.program_title,
            "date": long_date(appendix.issued_on)}
    return _("(Attached to decision No. %(number)s: %(title)s)") % {
        "number": appendix.program_number, "title": appendix.program_title}


# --- PDF (WeasyPrint from a template, Noto fonts embedded) ---------------------------------

def font_faces():
    """@font-face rules for the Noto fonts from Debian's fonts-noto-core."""
    base = Path(settings.REPORTS_FONT_DIR)
    rules = []
    for family, weight, style, name in FONT_FILES:
        path = require_file(base / name, "fonts-noto-core")
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{path.as_uri()}"); }}')
    return mark_safe("\n".join(rules))  # noqa: S308 - built here from file paths only


def _html_to_pdf(html):
    try:
        from weasyprint import HTML
    except OSError as missing:  # Pango or HarfBuzz libraries absent
        raise ImproperlyConfigured(
            "WeasyPrint cannot load its libraries: install the Debian packages libpango-1.0-0 "
            f"and libharfbuzz-subset0 ({missing})."
        ) from missing

    return HTML(string=html, base_url=str(settings.REPORTS_FONT_DIR)).write_pdf()


def _table_html(section):
    """A section's table for the PDF, built here rather than by the template engine (a
    template loop costs more than the rest of the row): a fixed layout whose column widths are
    given, so WeasyPrint never measures every cell to share out the width."""
    columns = section.columns
    whole = sum(column.share for column in columns)
    numeric = [column.numeric for column in columns]
    parts = ["<table class=\"grid\"><colgroup>"]
    parts += [f'<col style="width:{100 * column.share / whole:.2f}%">' for column in columns]
    parts.append("</colgroup><thead><tr>")
    parts += [f'<th scope="col">{escape(column.label)}</th>' for column in columns]
    parts.append("</tr></thead><tbody>")
    for row in section.listed:
        parts.append("<tr>")
        for column, is_number in zip(columns, numeric, strict=True):
            text = escape(cell_text(row.get(column.key), column.kind))
            parts.append(f'<td class="number">{text}</td>' if is_number else f"<td>{text}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    # Every piece of text above is escaped; the markup is this function's own.
    return mark_safe("".join(parts))  # noqa: S308


def _rendered_sections(sections):
    return [{"section": section, "table": _table_html(section) if section.listed else "",
             "note": document_note(section)} for section in sections]


def isolated(text, rtl):
    """Keep a code such as "7/BC-GL" in its own order inside right-to-left text."""
    return f"\u2066{text}\u2069" if rtl and text else text


def number_line(content, rtl):
    """"Số 12-BC/ĐU" (party) or "Số: 12/BC-UBND" (people's committee), the code isolated."""
    if not content.number_line:
        return _("No.: %(number)s") % {"number": isolated(content.number, rtl)}
    return content.number_line.replace(content.number, isolated(content.number, rtl))


def report_pdf(content):
    rtl = get_language_bidi()
    narrative = narrative_sections(content)
    sections = report_sections(content)
    sub_units = next(section for section in sections if section.key == "sub_units")
    html = render_to_string("reports/pdf/report.html", {
        "content": content, "font_faces": font_faces(), "rtl": rtl,
        "number_line": number_line(content, rtl), "narrative": narrative,
        "figures_number": len(narrative) + 1,
        "signature_lines": content.signature.lines if content.signature else [],
        "date_line": issued_date_line(content), "period_start": long_date(content.period_start),
        "period_end": long_date(content.period_end),
        "sections": _rendered_sections(sections),
        # Bars drawn here from numbers only: safe to include as markup.
        "status_chart": [row | {"bar": mark_safe(row["bar"])}  # noqa: S308
                         for row in charts.status_rows(content.task_counts,
                                                       content.status_labels, rtl=rtl)],
        # The chart shows the sub-units the table lists: all, or those with most late tasks.
        "sub_unit_chart": [row | {"bar": mark_safe(row["bar"])}  # noqa: S308
                           for row in charts.sub_unit_rows(sub_units.listed, rtl=rtl)],
        "sub_unit_caption": _("Tasks of each sub-unit: done, open, late")
        if not sub_units.left_out else
        _("Tasks of the %(count)s sub-units with the most late tasks: done, open, late")
        % {"count": len(sub_units.listed)},
    })
    return _html_to_pdf(html)


def appendix_pdf(appendix):
    rtl = get_language_bidi()
    columns = appendix_columns()
    html = render_to_string("reports/pdf/appendix.html", {
        "appendix": appendix, "font_faces": font_faces(), "rtl": rtl, "motto": motto(),
        "reference": appendix_reference(appendix), "header": [c.label for c in columns],
        "rows": [[cell_text(row.get(c.key), c.kind) for c in columns] for row in appendix.rows],
    })
    return _html_to_pdf(html)


# --- XLSX (openpyxl): one sheet per section, numbers as numbers -------------------------------

def _sheet_title(text, used):
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def _xlsx_cells(sheet, values, bold=None):
    """A write-only sheet's row: text kept as text (never a formula), numbers as numbers,
    dates as dates (openpyxl shows a date as yyyy-mm-dd); in bold when given."""
    if bold is None:
        return [xlsx_value(sheet, value) for value in values]
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = keep_text(WriteOnlyCell(sheet, value=value))
        cell.font = bold
        cells.append(cell)
    return cells


FRONT_LINES = 7  # the first sheet's lines about the report, before its text


def _xlsx_front(sheet, content, parts, bold):
    """The first sheet's opening lines: the unit, the period, the number, the signer; then
    the report's text, a part a line."""
    for label, value in ((_("Unit"), content.unit_name), (_("Period"), content.period_label),
                         (_("From"), content.period_start), (_("To"), content.period_end),
                         (_("Issued on"), content.issued_on), (_("Number"), content.number),
                         (_("Signed by"), content.signer_name)):
        sheet.append(_xlsx_cells(sheet, [label, value]))
    sheet.append([])
    for title, paragraphs in parts:
        sheet.append(_xlsx_cells(sheet, [title], bold)
                     + _xlsx_cells(sheet, ["\n".join(paragraphs)]))
    sheet.append([])


def report_xlsx(content):
    """Every row the content holds (the documents list those that matter), one sheet per
    section, written as a stream (write-only): a province's lists run to thousands of rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rtl = get_language_bidi()
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used = set()
    parts = narrative_sections(content)
    for index, section in enumerate(report_sections(content)):
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        sheet.sheet_view.rightToLeft = rtl
        for position, column in enumerate(section.columns, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = (
                40 if column.kind == "text" else 14)
        # The header row: after the opening lines on the first sheet, frozen on every sheet.
        header = FRONT_LINES + len(parts) + 3 if index == 0 else 1
        sheet.freeze_panes = f"A{header + 1}"
        if index == 0:
            _xlsx_front(sheet, content, parts, bold)
        sheet.append(_xlsx_cells(sheet, [column.label for column in section.columns], bold))
        keys = [column.key for column in section.columns]
        for row in section.rows:
            sheet.append(_xlsx_cells(sheet, [row.get(key) for key in keys]))
        note = sheet_note(section)
        if note:
            sheet.append(_xlsx_cells(sheet, [note]))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


REPORT_WRITERS = {"pdf": report_pdf, "docx": report_docx, "xlsx": report_xlsx}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
