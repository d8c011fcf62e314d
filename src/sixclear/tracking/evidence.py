"""Checks on uploaded evidence: allowed types, size, and a safe stored name."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# Leading bytes of the binary formats we accept, to refuse a renamed executable.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
}


def clean_evidence(upload):
    """Return (safe original name, stored name) for an upload, or raise a clear error."""
    original = PurePath(upload.name or "").name
    extension = PurePath(original).suffix.lower()
    if extension not in settings.EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": original, "types": ", ".join(sorted(settings.EVIDENCE_EXTENSIONS))}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": original})
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": original,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            }
        )
    expected = SIGNATURES.get(extension)
    if expected:
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(expected):
            raise ValidationError(
                _("“%(name)s” does not contain what its name says (%(ext)s).")
                % {"name": original, "ext": extension}
            )
    safe_name = get_valid_filename(original)[:200] or f"evidence{extension}"
    return safe_name, f"{uuid.uuid4().hex}{extension}"
