"""A local demo certificate authority and signer certificates, for trying signatures out.

Production never uses these: real signers hold certificates from the government certificate
authority (on a PKCS#12 file or a PKCS#11 token) and `SIXCLEAR_TRUSTED_ROOTS` names the real
roots. The demo CA is trusted only outside production (`REPORTS_TRUST_DEMO_CA`).
"""

import datetime
import json
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEMO_CA_NAME = "Sixclear Demo CA (not for production)"


def pki_dir():
    return Path(settings.REPORTS_PKI_DIR)


def demo_ca_paths():
    base = pki_dir()
    return base / "demo-ca.pem", base / "demo-ca.key"


def _name(common_name, organisation="Sixclear demo"):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _write_private(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, 0o600)


def ensure_demo_ca():
    """The demo CA's certificate and key, created on first use and kept under the data dir."""
    cert_path, key_path = demo_ca_paths()
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cert, key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    name = _name(DEMO_CA_NAME)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_signer(username, full_name, *, organisation="Sixclear demo"):
    """Issue a signing certificate for `username` from the demo CA, as a PKCS#12 file with a
    random passphrase beside it, and register both in the signers file. Returns the .p12 path."""
    ca_cert, ca_key = ensure_demo_ca()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(_name(full_name or username, organisation))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(18)
    base = pki_dir() / "signers"
    p12_path, pass_path = base / f"{username}.p12", base / f"{username}.pass"
    _write_private(p12_path, pkcs12.serialize_key_and_certificates(
        username.encode(), key, cert, [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode())))
    _write_private(pass_path, passphrase.encode())
    register_signer(username, {"backend": "pkcs12", "pkcs12": str(p12_path),
                               "passphrase_file": str(pass_path)})
    return p12_path


def read_signers():
    path = Path(settings.REPORTS_SIGNERS_FILE)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def register_signer(username, entry):
    signers = read_signers()
    signers[username] = entry
    path = Path(settings.REPORTS_SIGNERS_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(signers, indent=2, ensure_ascii=False), encoding="utf-8")
