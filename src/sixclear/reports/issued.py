"""Documents issued about another record — a meeting's conclusion notice, the decision on a
year's grades, the yearly evaluation of procedures — written, printed and signed the way the
periodic reports are.

The apps that own those records sit below this one, so they never import it: a module of this
app (or of a layer above) builds an `IssuedContent` from their selectors, then renders it as
DOCX or PDF, or signs it. The layout follows the issuing unit's format, as its `ReportSigner`
designates: a party committee's (Hướng dẫn 36-HD/VPTW: the superior party organisation over
the committee, "Số 12-TB/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM") or a people's committee's (Decree
30/2020: "Số: 12/TB-UBND", the national motto). The signature block and the stamp name the same
person: the unit's designated signer, or the deputy signing for them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext as _

from sixclear.orgs.models import Unit
from sixclear.versioning import StaleEdit

from . import signing
from .models import DocumentKind, SignedDocument, SigningCapacity
from .selectors import (
    SignatureBlock,
    _place,
    designated_signer,
    issuer_heading,
    long_date,
    person_name,
    signature_block,
)
from .writers import (
    _bare_table,
    _docx_orientation,
    _docx_setup,
    _heading_block,
    _para,
    _rtl,
    _signature_block,
    font_faces,
    isolated,
)

__all__ = ["DocumentKind", "DocumentTable", "IssuedContent", "issued_for", "render_docx",
           "render_pdf", "sign_issued"]

HEADING_MARK = "## "


@dataclass
class DocumentTable:
    """An appendix table: its caption, column labels and rows of text (already formatted for
    the reader). A wide table goes on landscape pages of its own."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    wide: bool = False
    empty_text: str = ""
    # The second caption line: `subcaption` as given, else with `attached` the line tying the
    # appendix to its document ("(Kèm theo Quyết định số …/QĐ-UBND ngày … của …)"), which
    # the kit writes in the issuer's format (`_attached_line`).
    attached: bool = False
    subcaption: str = ""


@dataclass
class IssuedContent:
    """What an issued document says. `paragraphs` are the body, one string per paragraph;
    a paragraph starting with "## " is a heading. `number_code` is the kind's symbol in the
    number line (TB notice, QĐ decision, BB minutes, BC report); `serial` the number the
    office registers it under ("…" until then)."""

    unit: Unit
    kind: str
    subject: str
    language: str
    document_type: str
    summary: str
    number_code: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[DocumentTable] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    issued_on: datetime.date | None = None
    capacity: str = SigningCapacity.PRINCIPAL
    serial: str = ""


@dataclass
class _Layout:
    """The heading and signature of the document in the issuer's format, in its language."""

    party: bool
    superior_line: str
    issuer_line: str
    number_line: str
    motto: tuple[str, str]
    date_line: str
    signature: SignatureBlock
    recipients: list[str]
    attached_line: str = ""

    def subcaption(self, table: DocumentTable) -> str:
        return table.subcaption or (self.attached_line if table.attached else "")


def _document_noun(number_code: str) -> str:
    """The document's kind as its appendices name it: "Quyết định" for QĐ."""
    nouns = {"QĐ": pgettext("issued document", "Decision"),
             "BB": pgettext("issued document", "Minutes"),
             "TB": pgettext("issued document", "Notice"),
             "BC": pgettext("issued document", "Report")}
    return nouns.get(number_code, number_code)


def _attached_line(content: IssuedContent, heading: dict[str, str], party: bool,
                   issued_on: datetime.date, rtl: bool) -> str:
    """The line under an appendix's caption tying it to the document, with the document's
    number symbol and date in the issuer's format: a party body's (Hướng dẫn 36-HD/VPTW)
    "(kèm theo Quyết định số …-QĐ/ĐU, ngày … tháng … năm …)", a state body's (Decree 30/2020,
    Appendix I) "(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của …)"."""
    values = {"document": _document_noun(content.number_code),
              "number": isolated(heading["number"], rtl), "date": long_date(issued_on)}
    if party:
        return pgettext("party format", "(attached to %(document)s No. %(number)s, "
                                        "%(date)s)") % values
    return _("(Attached to %(document)s No. %(number)s of %(date)s of the %(issuer)s)") % {
        **values, "issuer": heading["issuer"]}


def _layout(content: IssuedContent) -> _Layout:
    designation = designated_signer(content.unit)
    heading = issuer_heading(content.unit, designation, content.serial or "…",
                             code=content.number_code)
    place, _province = _place(content.unit)
    issued_on = content.issued_on or timezone.localdate()
    rtl = get_language_bidi()
    number_line = heading["number_line"].replace(heading["number"],
                                                 isolated(heading["number"], rtl))
    recipients = list(content.recipients) or [content.unit.name]
    if _("Archives") not in recipients:
        recipients.append(_("Archives"))
    party = designation.issuing_body == "party"
    return _Layout(
        party=party, superior_line=heading["superior_line"],
        issuer_line=heading["issuer_line"], number_line=number_line,
        motto=(heading["motto_1"], heading["motto_2"]),
        date_line=_("%(place)s, %(date)s") % {"place": place, "date": long_date(issued_on)},
        signature=signature_block(designation, content.capacity), recipients=recipients,
        attached_line=_attached_line(content, heading, party, issued_on, rtl)
        if any(table.attached for table in content.tables) else "",
    )


def _body(content: IssuedContent) -> list[tuple[str, str]]:
    """[("heading" | "text", words)] of the body, empty paragraphs left out."""
    parts = []
    for paragraph in content.paragraphs:
        text = paragraph.strip()
        if text.startswith(HEADING_MARK.strip()):
            parts.append(("heading", text[len(HEADING_MARK.strip()):].strip()))
        elif text:
            parts.append(("text", text))
    return parts


def _docx_rows(document: Any, table: DocumentTable, rtl: bool) -> None:
    from docx.shared import Pt

    grid = _bare_table(document, 1, len(table.columns), rtl)
    grid.style = "Table Grid"
    for cell, label in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, Pt(10)
        if rtl:
            _rtl(cell.paragraphs[0])
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(10)
            if rtl:
                _rtl(cell.paragraphs[0])


def render_docx(content: IssuedContent) -> bytes:
    """The document as DOCX (python-docx), unsigned: for editing and printing."""
    from docx import Document

    with translation.override(content.language):
        rtl = get_language_bidi()
        layout = _layout(content)
        document = Document()
        _docx_setup(document)
        _heading_block(document, parent_name=layout.superior_line,
                       unit_name=layout.issuer_line, number_line=layout.number_line,
                       date_line=layout.date_line, rtl=rtl, mottos=layout.motto,
                       party=layout.party)
        _para(document, content.document_type, bold=True, size=14, align="center", rtl=rtl,
              upper=True)
        _para(document, content.summary, bold=True, size=14, align="center", rtl=rtl)
        for kind, text in _body(content):
            if kind == "heading":
                _para(document, text, bold=True, size=13, rtl=rtl)
            else:
                _para(document, text, align="justify", rtl=rtl)
        _signature_block(document, recipients=layout.recipients,
                         signer_lines=layout.signature.lines, signer_name=layout.signature.name,
                         rtl=rtl)
        for table in content.tables:  # each appendix on a page of its own
            _docx_orientation(document, landscape=table.wide)
            _para(document, table.caption, bold=True, size=13, align="center", rtl=rtl)
            if subcaption := layout.subcaption(table):
                _para(document, subcaption, italic=True, size=13, align="center", rtl=rtl)
            if table.rows:
                _docx_rows(document, table, rtl)
            else:
                _para(document, table.empty_text or _("None."), italic=True, size=12, rtl=rtl)
        out = BytesIO()
        document.save(out)
        return out.getvalue()


def render_pdf(content: IssuedContent) -> bytes:
    """The document as PDF (WeasyPrint, Noto fonts embedded), unsigned. The signature block
    leaves the anchor where a signature's stamp goes."""
    from .writers import _html_to_pdf

    with translation.override(content.language):
        rtl = get_language_bidi()
        layout = _layout(content)
        html = render_to_string("reports/pdf/issued.html", {
            "content": content, "layout": layout, "body": _body(content),
            "font_faces": font_faces(), "rtl": rtl,
            "appendices": [(table, layout.subcaption(table)) for table in content.tables],
        })
        return _html_to_pdf(html)


def _may_sign(actor: Any, signature: SignatureBlock) -> bool:
    return signature.user_id is not None and getattr(actor, "pk", None) == signature.user_id


def sign_issued(*, actor: Any, content: IssuedContent) -> SignedDocument:
    """Render the document as PDF and sign it (PAdES) as `actor`, who must be the person its
    signature block names: the unit's designated signer, or its deputy when the content says
    the deputy signs. Stored with its hash, never changed; it supersedes the current signed
    copy of the same unit, kind, subject and language, which stays, linked."""
    if content.kind not in DocumentKind.values or content.kind == DocumentKind.REPORT:
        raise ValidationError(_("Reports are signed from their own page."))
    if not content.subject:
        raise ValidationError(_("An issued document must say which record it is about."))
    with translation.override(content.language):
        signature = _layout(content).signature
        if not _may_sign(actor, signature):
            raise PermissionDenied(_(
                "Only the person the unit designates to sign, and whom this document names, "
                "signs it: %(name)s.") % {"name": signature.name or "—"})
        pdf = render_pdf(content)
        name = person_name(actor)
        with signing.open_signer(actor.get_username()) as signer:
            signed = signing.sign_pdf(pdf, signer=signer, name=name, title=signature.title,
                                      location=content.unit.name, reason=content.summary[:200])
        title = f"{content.document_type} · {content.summary}"[:300]
    return _store(actor=actor, content=content, signed=signed, name=name,
                  signer_title=signature.title, title=title)


def _store(*, actor: Any, content: IssuedContent, signed: bytes, name: str,
           signer_title: str, title: str) -> SignedDocument:
    try:
        with transaction.atomic():
            # Only its own row: `superseded_by` is the outer join PostgreSQL will not lock.
            current = (SignedDocument.objects.select_for_update(of=("self",))
                       .filter(unit=content.unit, kind=content.kind, subject=content.subject,
                               language=content.language, superseded_by__isnull=True)
                       .order_by("-signed_at", "-pk").first())
            document = SignedDocument(
                unit=content.unit, kind=content.kind, subject=content.subject,
                language=content.language, title=title,
                sha256=hashlib.sha256(signed).hexdigest(), size=len(signed), signer=actor,
                signer_name=name, signer_title=signer_title, signed_at=timezone.now(),
                timestamped=bool(settings.REPORTS_TSA_URL), supersedes=current,
            )
            document.file.save("signed.pdf", ContentFile(signed), save=False)
            document.save()
    except IntegrityError as clash:
        raise StaleEdit(_("Someone else signed this document at the same moment. Reload the "
                          "page to see the current signed copy.")) from clash
    return document


def issued_for(subject: str, kind: str | None = None) -> QuerySet[SignedDocument]:
    """The signed copies of the documents issued about `subject` ("app.model:pk"), newest
    first, superseded ones included (each links to what replaced it). Callers check access to
    the subject first."""
    documents = SignedDocument.objects.filter(subject=subject).select_related(
        "unit", "signer", "superseded_by")
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-signed_at", "-pk")


def may_sign_issued(actor: Any, content: IssuedContent) -> bool:
    """Whether `actor` is the person who would sign this document (to show the button)."""
    with translation.override(content.language):
        return _may_sign(actor, _layout(content).signature)
