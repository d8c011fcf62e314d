"""PAdES signatures with pyHanko: who may sign with which key, signing, and verification.

A signer's key is chosen by configuration (the signers file, `REPORTS_SIGNERS_FILE`): today a
PKCS#12 file and its passphrase per person; a PKCS#11 token (as issued by the government
certificate authority) by writing `"backend": "pkcs11"` and the token's module, labels and
the environment variable holding its PIN, without changing this code.
"""

import contextlib
import datetime
import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from .pki import demo_ca_paths, read_signers
from .requirements import require_file

SIGNATURE_FIELD = "Sixclear-Signature"


@contextlib.contextmanager
def open_signer(username):
    """The pyHanko signer configured for `username`, open for the duration of the block."""
    entry = read_signers().get(username)
    if not entry:
        raise ValidationError(
            _("No signing key is configured for %(user)s. An administrator must register a "
              "certificate for this person first.") % {"user": username},
            code="no_key",
        )
    backend = entry.get("backend", "pkcs12")
    opener = SIGNER_BACKENDS.get(backend)
    if opener is None:
        raise ImproperlyConfigured(f"Unknown signer backend {backend!r} for {username}.")
    with opener(entry) as signer:
        yield signer


@contextlib.contextmanager
def _pkcs12_signer(entry):
    from pyhanko.sign import signers

    passphrase = entry.get("passphrase")
    if passphrase is None and entry.get("passphrase_file"):
        passphrase = Path(entry["passphrase_file"]).read_text().strip()
    if passphrase is None and entry.get("passphrase_env"):
        passphrase = os.environ[entry["passphrase_env"]]
    signer = signers.SimpleSigner.load_pkcs12(
        entry["pkcs12"], passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise ValidationError(_("The signing key could not be opened: wrong file or passphrase."))
    yield signer


@contextlib.contextmanager
def _pkcs11_signer(entry):
    try:
        from pyhanko.sign import pkcs11
    except ImportError as missing:  # pragma: no cover - depends on the installation
        raise ImproperlyConfigured(
            "PKCS#11 signing needs the python-pkcs11 package: pip install 'pyhanko[pkcs11]'."
        ) from missing
    session = pkcs11.open_pkcs11_session(
        lib_location=entry["module"], token_label=entry.get("token_label"),
        user_pin=os.environ.get(entry.get("pin_env", ""), None),
    )
    try:
        yield pkcs11.PKCS11Signer(
            session, cert_label=entry.get("cert_label"), key_label=entry.get("key_label"),
        )
    finally:
        session.close()


SIGNER_BACKENDS = {"pkcs12": _pkcs12_signer, "pkcs11": _pkcs11_signer}


def stamp_font():
    return require_file(Path(settings.REPORTS_FONT_DIR) / "NotoSans-Regular.ttf", "fonts-noto-core")


SIGNATURE_ANCHOR = "signature-space"
STAMP_SIZE = (200, 60)  # points


def signature_place(writer):
    """Where the stamp goes: in the space the report leaves between the signer's title and
    name (the anchor `signature-space` that WeasyPrint writes as a named destination), so
    "(Signed)" and the stamp sit inside the printed block. Other PDFs: the last page, low
    on the right."""
    root = writer.root
    pages = root["/Pages"]
    page_count = int(pages["/Count"])
    fallback = (page_count - 1, (330, 62, 550, 132))
    try:
        names = root["/Names"]["/Dests"]["/Names"]
    except KeyError:
        return fallback
    for position in range(0, len(names) - 1, 2):
        if str(names[position]) != SIGNATURE_ANCHOR:
            continue
        target = names[position + 1]
        target = target["/D"] if hasattr(target, "keys") else target
        page_ref, top = target[0], float(target[3])
        wanted = target.raw_get(0).reference
        pages_refs = [writer.find_page_for_modification(i)[0] for i in range(page_count)]
        matches = [i for i, ref in enumerate(pages_refs)
                   if getattr(ref, "reference", ref) == wanted]
        if not matches:
            return fallback
        index = matches[0]
        media = [float(v) for v in page_ref["/MediaBox"]]
        left = float(target[2])
        width, height = STAMP_SIZE
        # The anchor is a 1-pt box centred at the top of the space, in the signer's column.
        centre = min(max(left, width / 2 + 10), media[2] - width / 2 - 10)
        return index, (centre - width / 2, top - height - 4, centre + width / 2, top - 4)
    return fallback


def sign_pdf(data, *, signer, name, title, location="", reason=""):
    """Sign PDF bytes: PAdES baseline (B-B, or B-T with an RFC 3161 timestamp when
    `REPORTS_TSA_URL` is set) with a visible box on the last page naming the signer and
    their title, drawn with an embedded Noto font so Vietnamese renders."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    page, box = signature_place(writer)
    field_spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=box)
    style = TextStampStyle(
        stamp_text=_("(Signed)\nSigned by: %(signer)s\nTime: %(ts)s"),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(stamp_font())),
                                    font_size=9),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
        border_width=1,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256", name=name, location=location or None, reason=reason or None,
    )
    timestamper = None
    if settings.REPORTS_TSA_URL:
        timestamper = timestamps.HTTPTimeStamper(settings.REPORTS_TSA_URL)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style,
        new_field_spec=field_spec,
    )
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out,
                        appearance_text_params={"signer": name, "title": title or ""})
    return out.getvalue()


def trusted_roots():
    """The certificates a signature must chain to: `REPORTS_TRUSTED_ROOTS`, plus the demo CA
    when `REPORTS_TRUST_DEMO_CA` is on (never in production)."""
    paths = [Path(p) for p in settings.REPORTS_TRUSTED_ROOTS]
    if settings.REPORTS_TRUST_DEMO_CA:
        paths.append(demo_ca_paths()[0])
    roots = []
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes()
        if pem.detect(data):
            roots += [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, True)]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


@dataclass
class SignatureCheck:
    """One signature of a verified PDF, in the words a person reads."""

    signer: str
    signed_at: datetime.datetime | None
    timestamped: bool
    intact: bool  # the signed bytes are exactly those signed
    unchanged: bool  # nothing was added or changed after signing
    trusted: bool  # the certificate chains to a trusted root
    issuer: str = ""
    findings: list = field(default_factory=list)

    @property
    def valid(self):
        return self.intact and self.unchanged and self.trusted

    @property
    def verdict(self):
        """One verdict, the gravest first: "modified" (the signed bytes changed: nothing else
        about the file can be said), "added" (content added or changed after signing),
        "untrusted" (intact, but the certificate does not chain to a trusted root), "valid"."""
        if not self.intact:
            return "modified"
        if not self.unchanged:
            return "added"
        if not self.trusted:
            return "untrusted"
        return "valid"


@dataclass
class Verification:
    signatures: list
    error: str = ""

    @property
    def valid(self):
        return bool(self.signatures) and all(s.valid for s in self.signatures)


def _only_padding_after_signature(contents):
    """The one unsigned part of a signed revision is the signature value (`/Contents <hex>`):
    the CMS structure, then zero padding. A changed byte in the padding is a change too."""
    import binascii

    try:
        raw = binascii.unhexlify(contents.strip().lstrip(b"<").rstrip(b">"))
    except (binascii.Error, ValueError):
        return False
    if len(raw) < 2 or raw[0] != 0x30:
        return False
    length, offset = raw[1], 2
    if length & 0x80:  # long form: the next (length & 0x7f) bytes hold the length
        count = length & 0x7F
        length, offset = int.from_bytes(raw[2:2 + count], "big"), 2 + count
    return not raw[offset + length:].strip(b"\x00")


def _certificates_unaltered(signature, roots):
    """Every certificate carried in the signature verifies against its issuer (another carried
    certificate or a trusted root): a byte changed in a carried copy of the authority's
    certificate is a change too, although validation would use the trusted root instead."""
    from cryptography import x509 as crypto_x509
    from cryptography.exceptions import InvalidSignature

    carried = [crypto_x509.load_der_x509_certificate(choice.chosen.dump())
               for choice in signature.signed_data["certificates"] or []
               if choice.name == "certificate"]
    issuers = carried + [crypto_x509.load_der_x509_certificate(root.dump()) for root in roots]
    for cert in carried:
        candidates = [i for i in issuers if i.subject == cert.issuer]
        if not candidates:
            continue  # an unknown authority: the trust check says so
        for issuer in candidates:
            try:
                cert.verify_directly_issued_by(issuer)
                break
            except (InvalidSignature, ValueError, TypeError):
                continue
        else:
            return False
    return True


def verify_pdf(data):
    """Check every signature in PDF bytes: whether the signed bytes are intact, whether
    anything was changed or appended after signing (pyHanko's coverage and modification
    analysis), and whether the certificate chains to a trusted root."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as damaged:
        return Verification([], _("This file cannot be read as a PDF: %(error)s")
                            % {"error": damaged})
    if not embedded:
        return Verification([], _("This PDF carries no digital signature."))
    checks = []
    context_roots = trusted_roots()
    for signature in embedded:
        context = ValidationContext(trust_roots=context_roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as failure:  # noqa: BLE001 - any failure means "not valid", in words
            checks.append(SignatureCheck(
                signer="?", signed_at=None, timestamped=False, intact=False, unchanged=False,
                trusted=False, findings=[_("The signature could not be checked: %(error)s")
                                         % {"error": failure}]))
            continue
        cert = status.signing_cert
        covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        unchanged = covers_all or (
            level is not None and level <= ModificationLevel.LTA_UPDATES and bool(status.docmdp_ok)
        )
        # Bytes after the signed range that are not a PDF revision (pyHanko ignores them).
        start1, len1, start2, len2 = (int(n) for n in signature.byte_range)
        if data[start2 + len2:].strip():
            unchanged = False
        ts = status.timestamp_validity
        signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
        intact = (bool(status.intact and status.valid)
                  and _only_padding_after_signature(data[start1 + len1:start2])
                  and _certificates_unaltered(signature, context_roots))
        checks.append(SignatureCheck(
            signer=cert.subject.native.get("common_name", cert.subject.human_friendly),
            issuer=cert.issuer.native.get("common_name", cert.issuer.human_friendly),
            signed_at=signed_at, timestamped=ts is not None, intact=intact,
            # A file whose signed bytes changed is never also "unchanged after signing".
            unchanged=intact and bool(unchanged), trusted=intact and bool(status.trusted),
        ))
    return Verification(checks)


def seal_data(data: bytes) -> tuple[bytes, str] | None:
    """A detached CMS signature (DER) over `data` with the seal's key
    (`SNAPSHOTS_SEAL_SIGNER`, a person of the signers file), and the name on its certificate;
    None when no key is configured for the seal. Used by `snapshots.sealing`."""
    import asyncio

    username = settings.SNAPSHOTS_SEAL_SIGNER
    if not username or username not in read_signers():
        return None
    with open_signer(username) as signer:
        content = asyncio.run(signer.async_sign_general_data(data, "sha256", detached=True))
        cert = signer.signing_cert
    name = cert.subject.native.get("common_name", cert.subject.human_friendly)
    return content.dump(), name


def verify_sealed_data(data: bytes, signature: bytes) -> bool:
    """Whether a detached CMS signature over `data` is intact and its certificate chains to
    a trusted root (`trusted_roots`)."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        context = ValidationContext(trust_roots=trusted_roots(), allow_fetching=False)
        status = asyncio.run(async_validate_detached_cms(
            data, signed_data, signer_validation_context=context))
    except Exception:  # noqa: BLE001 - anything unreadable or failing is simply not valid
        return False
    return bool(status.intact and status.valid and status.trusted)
