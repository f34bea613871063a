"""The kwok lab's etcd is reachable only over TLS with a client cert of its cluster's own etcd CA, and
the apiserver is its client that way: the command lines and certificates, built without starting
anything."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtendedKeyUsageOID

from govcloud import pipeline
from govcloud.lab.kwok import KwokLab
from govcloud.plan import Plan

ETCD_TLS = ("--cert-file", "--key-file", "--trusted-ca-file", "--client-cert-auth")
PEER_TLS = ("--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file", "--peer-client-cert-auth")
URL_FLAGS = (
    "--listen-client-urls",
    "--advertise-client-urls",
    "--listen-peer-urls",
    "--initial-advertise-peer-urls",
)


@pytest.fixture(scope="module")
def plan(reference_path: Path) -> Plan:
    return pipeline.load_plan(reference_path)


def flags(argv: list[str]) -> dict[str, str | None]:
    """`--flag value` and bare `--flag` pairs of a command line (argv[0] is the binary)."""
    out: dict[str, str | None] = {}
    rest = argv[1:]
    for i, arg in enumerate(rest):
        if arg.startswith("--"):
            nxt = rest[i + 1] if i + 1 < len(rest) else None
            out[arg] = None if nxt is None or nxt.startswith("--") else nxt
    return out


def load(path: str | Path | None) -> x509.Certificate:
    assert path is not None
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def test_etcd_serves_clients_and_peers_over_tls_with_client_cert_auth_on_loopback_only(
    plan: Plan, tmp_path: Path
) -> None:
    lab = KwokLab(plan, tmp_path)
    for c in lab.clusters:
        argv = lab.etcd_argv(c, Path("/cache/bin/etcd"))
        f = flags(argv)
        assert not [a for a in argv if "http://" in a], c.name
        for flag in (*ETCD_TLS, *PEER_TLS):
            assert flag in f, (c.name, flag)
        assert f["--client-cert-auth"] is None and f["--peer-client-cert-auth"] is None
        for flag in URL_FLAGS:
            url = urlsplit(f[flag] or "")
            assert (url.scheme, url.hostname) == ("https", "127.0.0.1"), (c.name, flag, f[flag])
        assert f["--initial-cluster"] == f"{c.name}={f['--listen-peer-urls']}"
        assert f["--listen-metrics-urls"] == ""  # no plain metrics listener beside the TLS ones
        etcd_pki = lab.dir(c) / "pki" / "etcd"
        for flag in ("--cert-file", "--key-file", "--trusted-ca-file", "--peer-trusted-ca-file"):
            assert Path(f[flag] or "").parent == etcd_pki, (c.name, flag)


def test_the_apiserver_reaches_its_etcd_over_https_with_a_client_cert_of_the_etcd_ca(
    plan: Plan, tmp_path: Path
) -> None:
    lab = KwokLab(plan, tmp_path)
    for c in lab.clusters:
        api = lab.apiserver_argv(c, Path("/cache/bin/kube-apiserver"))
        f, etcd = flags(api), flags(lab.etcd_argv(c, Path("/cache/bin/etcd")))
        assert not [a for a in api if "http://" in a], c.name
        assert f["--etcd-servers"] == etcd["--advertise-client-urls"] == lab.etcd_url(c)
        assert f["--etcd-servers"] == f"https://127.0.0.1:{lab.ports(c).etcd_client}"
        assert f["--etcd-cafile"] == etcd["--trusted-ca-file"]
        assert f["--etcd-certfile"] and f["--etcd-keyfile"]


def test_only_the_apiserver_etcd_client_cert_of_the_same_cluster_opens_etcd(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    a, b = lab.clusters[0], lab.clusters[1]
    lab.step_certs(a)
    lab.step_certs(b)
    fa = flags(lab.apiserver_argv(a, Path("kube-apiserver")))
    etcd_ca = load(flags(lab.etcd_argv(a, Path("etcd")))["--trusted-ca-file"])
    load(fa["--etcd-certfile"]).verify_directly_issued_by(etcd_ca)
    # etcd's user auth is off: a kube client cert (system:masters admin) or another cluster's etcd
    # client cert that it trusted would read and write every object behind the apiserver's back
    for outsider in (
        fa["--client-ca-file"],  # the lab CA itself
        lab.dir(a) / "pki" / "admin.crt",
        flags(lab.apiserver_argv(b, Path("kube-apiserver")))["--etcd-certfile"],
    ):
        with pytest.raises((ValueError, TypeError, InvalidSignature)):
            load(outsider).verify_directly_issued_by(etcd_ca)


def test_the_etcd_member_cert_names_loopback_and_serves_and_dials_peers(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    c = lab.clusters[0]
    lab.step_certs(c)
    member = load(flags(lab.etcd_argv(c, Path("etcd")))["--cert-file"])
    sans = member.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in sans.get_values_for_type(x509.IPAddress)
    assert "kubernetes" not in sans.get_values_for_type(x509.DNSName)
    usages = set(member.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    assert usages == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}


def test_every_etcd_key_and_cert_file_is_private(plan: Plan, tmp_path: Path) -> None:
    lab = KwokLab(plan, tmp_path)
    c = lab.clusters[0]
    lab.step_certs(c)
    files = sorted((lab.dir(c) / "pki" / "etcd").iterdir())
    assert {p.name for p in files} == {
        "ca.crt",
        "ca.key",
        "member.crt",
        "member.key",
        "apiserver-etcd-client.crt",
        "apiserver-etcd-client.key",
    }
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files), [(p.name, oct(p.stat().st_mode)) for p in files]


def test_lab_status_names_a_running_etcd_that_is_not_on_tls() -> None:
    from govcloud.cli.lab_clusters import cluster_state

    row: dict[str, object] = {"processes": ["etcd", "kube-apiserver"], "api_ready": True, "etcd_ready": True}
    assert cluster_state(row) == "ready"
    # a lab started before etcd had TLS: its API answers, its etcd refuses the TLS probe
    assert "etcd not on TLS" in cluster_state({**row, "etcd_ready": False})
    assert cluster_state({**row, "api_ready": False, "etcd_ready": False}) == "starting"
    assert cluster_state({"processes": [], "api_ready": False, "etcd_ready": False}) == "down"
