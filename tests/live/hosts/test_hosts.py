"""What site.yml promises, checked on the running lab hosts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.live

SYSCTLS = {
    "net.ipv4.conf.all.accept_redirects": 0,
    "net.ipv4.conf.all.send_redirects": 0,
    "net.ipv4.conf.all.accept_source_route": 0,
    "net.ipv4.conf.all.rp_filter": 1,
    "net.ipv4.tcp_syncookies": 1,
    "net.ipv6.conf.all.accept_ra": 0,
}


def psql(host, sql: str, db: str = "postgres") -> str:  # type: ignore[no-untyped-def]
    out = host.run("runuser -u postgres -- psql -qAtX -d %s -c %s", db, sql)
    assert out.rc == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.parametrize("name", ["openssh-server", "postgresql", "chrony", "rsync", "python3"])
def test_packages(host, name) -> None:  # type: ignore[no-untyped-def]
    assert host.package(name).is_installed


def test_sshd_and_chronyd_run(host) -> None:  # type: ignore[no-untyped-def]
    assert host.process.filter(comm="sshd")
    assert host.process.filter(comm="chronyd")


def test_sshd_hardening_scales_with_mlps(host, hv) -> None:  # type: ignore[no-untyped-def]
    cfg = dict(line.split(" ", 1) for line in host.check_output("sshd -T").splitlines() if " " in line)
    assert cfg["passwordauthentication"] == "no"
    assert cfg["permitemptypasswords"] == "no"
    assert cfg["x11forwarding"] == "no"
    level = hv["govcloud_mlps_level"]
    if level >= 3:
        assert cfg["maxauthtries"] == "3"
        assert cfg["loglevel"] == "VERBOSE"
        assert cfg["allowtcpforwarding"] == "no"
    else:
        assert cfg["maxauthtries"] == "6"
    if level >= 4:
        assert cfg["ciphers"].split(",") == [
            "chacha20-poly1305@openssh.com",
            "aes256-gcm@openssh.com",
            "aes128-gcm@openssh.com",
        ]


@pytest.mark.parametrize(("key", "value"), sorted(SYSCTLS.items()))
def test_network_sysctls(host, key, value) -> None:  # type: ignore[no-untyped-def]
    assert host.sysctl(key) == value
    assert host.file("/etc/sysctl.d/60-govcloud-hardening.conf").contains(f"^{key} = {value}$")


def test_accounts_and_audit_rules(host, hv) -> None:  # type: ignore[no-untyped-def]
    assert host.check_output("awk -F: '$2 == \"\" {print $1}' /etc/shadow") == ""
    rules = host.file("/etc/audit/rules.d/govcloud.rules")
    assert rules.exists and rules.mode == 0o640
    assert rules.contains("-k identity")
    if hv["govcloud_mlps_level"] >= 3:
        assert rules.contains("-k root-commands")
        assert host.file("/etc/profile.d/govcloud-timeout.sh").contains("TMOUT=")
    assert host.file("/etc/timezone").content_string.strip() == "Asia/Shanghai"


def test_postgresql_runs_in_its_role(host, hv) -> None:  # type: ignore[no-untyped-def]
    if hv["govcloud_role"] != "database":
        pytest.skip("not a database host")
    if "govcloud_ha_role" in hv:
        pytest.skip("Patroni runs this host's PostgreSQL: test_ha.py checks it")
    assert "online" in host.check_output("pg_lsclusters --no-header")
    recovery = psql(host, "SELECT pg_is_in_recovery()")
    assert recovery == ("t" if hv["govcloud_pg_role"] == "standby" else "f")


def test_primary_replicates_to_the_declared_standbys(host, hv) -> None:  # type: ignore[no-untyped-def]
    if hv.get("govcloud_pg_role") != "primary" or not hv.get("govcloud_pg_standbys"):
        pytest.skip("not a primary with standbys")
    if "govcloud_ha_role" in hv:
        pytest.skip("a Patroni cluster: test_ha.py checks its replication")
    rows = psql(host, "SELECT application_name, sync_state, state FROM pg_stat_replication ORDER BY 1")
    seen = {r.split("|")[0]: (r.split("|")[1], r.split("|")[2]) for r in rows.splitlines()}
    want = {s["application_name"]: (s["mode"], "streaming") for s in hv["govcloud_pg_standbys"]}
    assert seen == want


def test_wal_is_archived_to_the_backup_host(host, hv) -> None:  # type: ignore[no-untyped-def]
    if "govcloud_backup_target" not in hv or hv.get("govcloud_pg_role") != "primary":
        pytest.skip("ships no backups")
    assert host.file("/var/lib/postgresql/gc-backup/LAST").exists
    archived = psql(
        host,
        "SELECT archived_count > 0 AND (last_failed_time IS NULL OR last_archived_time > "
        "last_failed_time) FROM pg_stat_archiver",
    )
    assert archived == "t"


def test_backups_restore_on_the_backup_host(host, hv) -> None:  # type: ignore[no-untyped-def]
    if hv["govcloud_role"] != "backup":
        pytest.skip("not a backup host")
    restored = 0
    for src in hv["govcloud_backup_sources"]:
        base = f"/srv/backup/{src['name']}/base"
        if not host.file(f"{base}/LATEST").exists:
            continue  # that source is not part of this lab
        label = host.file(f"{base}/LATEST").content_string.strip()
        assert host.file(f"{base}/{label}/RESTORE-VERIFIED").contains("drill_rows=")
        assert host.check_output("ls /srv/backup/%s/wal", src["name"]) != ""
        restored += 1
    if not restored:
        pytest.skip("none of this host's sources runs in this lab")
