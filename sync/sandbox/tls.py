"""A throwaway self-signed certificate for servers on the loopback interface.

The certificate names ``127.0.0.1`` and ``localhost`` and is its own issuer,
so the certificate file doubles as the CA bundle a client passes to verify
the server: verification stays on, the client just trusts one more CA.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.db.types import utc_now

VALID_FOR = timedelta(days=30)
CERT_FILE_NAME = "sandbox-cert.pem"
KEY_FILE_NAME = "sandbox-key.pem"


@dataclass(frozen=True)
class LocalCertificate:
    """Where a loopback certificate and its private key were written (PEM files)."""

    cert_path: Path
    key_path: Path

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts the system CAs plus this certificate."""
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=self.cert_path)
        return context


def make_certificate(directory: Path) -> LocalCertificate:
    """Write a new self-signed certificate for 127.0.0.1/localhost (valid 30 days) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Handoff sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Handoff sandbox loopback CA"),
        ]
    )
    now = utc_now()
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / CERT_FILE_NAME
    key_path = directory / KEY_FILE_NAME
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return LocalCertificate(cert_path=cert_path, key_path=key_path)
