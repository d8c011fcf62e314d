"""The text of a document: DOCX (python-docx), PDF with a text layer (pypdf) or plain text."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

DOCX = "docx"
PDF = "pdf"
TEXT = "text"
KINDS = {".docx": DOCX, ".pdf": PDF, ".txt": TEXT, ".md": TEXT, "": TEXT}


class UnreadableDocument(ValueError):
    """The file is not a document this reader knows, or has no text to read."""


def kind_of(name: str, head: bytes = b"") -> str:
    """DOCX, PDF or text, from the file's first bytes, else from its name."""
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX
    kind = KINDS.get(Path(name).suffix.lower())
    if kind is None:
        raise UnreadableDocument(name)
    return kind


def read_bytes(data: bytes, name: str = "") -> str:
    """The document's text, one paragraph a line, in Unicode NFC."""
    kind = kind_of(name, data[:8])
    if kind == DOCX:
        text = _docx_text(data)
    elif kind == PDF:
        text = _pdf_text(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableDocument(name) from error
    text = normalize(text)
    if not text.strip():
        raise UnreadableDocument(name)
    return text


def read_path(path: str | Path) -> str:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "")


def _docx_text(data: bytes) -> str:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a broken or foreign zip: python-docx raises several kinds
        raise UnreadableDocument("docx") from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(" ".join(cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise UnreadableDocument("pdf") from error
