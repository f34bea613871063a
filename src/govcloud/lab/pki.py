"""The lab's certificates: one CA for the Kubernetes APIs, and per cluster a serving cert, an admin
client cert, the service-account signing key, and an etcd CA of its own with etcd's member cert and
the apiserver's etcd client cert. Written 0600 under the lab's state folder; never logged.

Uses `cryptography` (already a dependency of ansible-core): no openssl subprocess per cert.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = dt.timedelta(days=365)
KUBE_DNS = ("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    tmp.replace(path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load(cert: Path, key: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    k = serialization.load_pem_private_key(key.read_bytes(), None)
    assert isinstance(k, ec.EllipticCurvePrivateKey)
    return x509.load_pem_x509_certificate(cert.read_bytes()), k


def ensure_ca(folder: Path, cn: str = "govcloud-lab-ca") -> tuple[Path, Path]:
    """A self-signed CA in `folder` (ca.crt, ca.key), kept if it already exists."""
    cert, key = folder / "ca.crt", folder / "ca.key"
    if cert.exists() and key.exists():
        return cert, key
    k = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime.now(dt.UTC)
    c = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY * 5)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(k, hashes.SHA256())
    )
    _write(key, _key_pem(k))
    _write(cert, c.public_bytes(serialization.Encoding.PEM))
    return cert, key


def ensure_cert(
    folder: Path,
    name: str,
    ca: tuple[Path, Path],
    *,
    cn: str,
    orgs: tuple[str, ...] = (),
    server: bool = False,
    client: bool = False,
    dns: tuple[str, ...] = KUBE_DNS,
) -> tuple[Path, Path]:
    """A leaf cert signed by `ca`, kept if it already exists (so `lab up` twice changes nothing).

    A server cert names 127.0.0.1 and the `dns` names (every lab process listens on loopback only).
    """
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    if cert.exists() and key.exists():
        return cert, key
    ca_cert, ca_key = _load(*ca)
    k = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)] + [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs
    ]
    wanted = ((ExtendedKeyUsageOID.SERVER_AUTH, server), (ExtendedKeyUsageOID.CLIENT_AUTH, client))
    usages = [oid for oid, want in wanted if want]
    now = dt.datetime.now(dt.UTC)
    b = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca_cert.subject)
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    )
    if server:
        b = b.add_extension(
            x509.SubjectAlternativeName(
                [*(x509.DNSName(n) for n in dns), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    c = b.sign(ca_key, hashes.SHA256())
    _write(key, _key_pem(k))
    _write(cert, c.public_bytes(serialization.Encoding.PEM))
    return cert, key


def ensure_signing_key(folder: Path) -> tuple[Path, Path]:
    """The service-account token signing key pair of one cluster."""
    priv, pub = folder / "sa.key", folder / "sa.pub"
    if priv.exists() and pub.exists():
        return priv, pub
    k = ec.generate_private_key(ec.SECP256R1())
    _write(priv, _key_pem(k))
    _write(
        pub, k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return priv, pub
