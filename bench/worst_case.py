"""Benchmark: validate stays linear up to the file format's bounds.

Two kinds of file, each timed as a user runs `govcloud validate` (a fresh process; wall time and
peak memory by /usr/bin/time -v when present), with the reference province measured in the same run:

- one file per bound: a single list of the file format at its documented bound (200 clouds, 100
  cities of 200 counties, 5,000 tenants, 100 platform services, 64 KPIs, 50 uses per system), or at
  the node budget (MAX_NODES, counting alias expansions) when the budget binds first (systems);
- a mix that pushes every list toward its bound at once — systems with the most calls, tenants,
  overlapping zones, boundaries with the most ports, counties — at 1/8, 1/4, 1/2 and all of the
  node budget.

Time per thousand nodes must stay flat across all of them: that is what "linear" means here.

Usage: python bench/worst_case.py [--runs N]
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from govcloud.load import _LOADER as Loader  # noqa: E402
from govcloud.load import MAX_BYTES, MAX_NODES  # noqa: E402

MINIMAL = yaml.safe_load((ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8"))


def worst_case(systems: int) -> dict[str, Any]:
    """The minimal province grown toward every bound, with `systems` systems (20,000 is the bound)."""
    t = copy.deepcopy(MINIMAL)
    prov = t["clouds"][0]
    # 32 zones, all overlapping one another (the overlap rule's worst case), 256 boundaries of 64 ports
    prov["zones"] = prov["zones"] + [
        {"name": f"z{i:02d}", "kind": "extranet", "ipv4": "10.16.16.0/20", "ipv6": "2001:db8:a001::/48"}
        for i in range(32 - len(prov["zones"]))
    ]
    prov["boundaries"] = [
        {"from": f"z{i % 28:02d}", "to": "dedicated", "ports": list(range(1000 + 64 * i, 1064 + 64 * i))}
        for i in range(256)
    ]
    city = t["province"]["cities"][0]
    city["counties"] = [
        {"name": f"k{i:03d}", "title": f"County {i}", "townships": 100, "villages": 1000} for i in range(200)
    ]
    base_tenant = t["tenants"][1]
    tenants = [{**copy.deepcopy(base_tenant), "name": f"tn{i:04d}"} for i in range(max(1, systems // 20))]
    t["tenants"] = t["tenants"] + tenants
    proto = t["systems"][1]
    t["systems"] = t["systems"] + [
        {
            **copy.deepcopy(proto),
            "name": f"sys{i:05d}",
            "tenant": tenants[i % len(tenants)]["name"],
            "connects_to": [f"sys{(i + k) % systems:05d}" for k in range(1, 6)],
            "uses": ["identity", "licence", "seal"],
        }
        for i in range(systems)
    ]
    return t


def _budget(per_item: dict[str, Any], bound: int, base: dict[str, Any]) -> int:
    """How many of `per_item` fit beside `base` in the node budget, at most `bound`."""
    spare = MAX_NODES - nodes(yaml.safe_dump(base))
    return min(bound, int(spare / nodes(yaml.safe_dump(per_item)) * 0.95))


def at_bound(dimension: str) -> dict[str, Any]:
    """The minimal province with one list at its bound (or as far as the node budget allows)."""
    t = copy.deepcopy(MINIMAL)
    if dimension == "clouds":
        proto = t["clouds"][3]  # an industry cloud: two zones, one centre
        extra = []
        for i in range(200 - len(t["clouds"])):
            c = copy.deepcopy(proto)
            c |= {"name": f"ind{i:03d}", "title": f"Industry cloud {i}", "sector": f"sector{i}"}
            c["ipv4"] = f"10.{32 + i // 16}.{(i % 16) * 16}.0/20"
            c["ipv6"] = f"2001:db8:{0xB000 + i * 0x10:x}::/44"
            c["zones"] = [
                z
                | {
                    "ipv4": f"10.{32 + i // 16}.{(i % 16) * 16 + k}.0/24",
                    "ipv6": f"2001:db8:{0xB000 + i * 0x10 + k:x}::/48",
                }
                for k, z in enumerate(c["zones"])
            ]
            c["centres"] = [ce | {"name": f"ind{i:03d}-dc"} for ce in c["centres"]]
            c["backup_partner"] = "provincial"
            extra.append(c)
        t["clouds"] += extra
        # one cluster per centre: pools wide enough for 200 clouds' centres (GC022)
        t["addressing"]["clusters"] |= {"pod_ipv4_prefix": 20, "service_ipv4_prefix": 24}
    elif dimension == "cities":
        counties = [{"name": f"k{i:03d}", "title": f"County {i}", "townships": 0, "villages": 0} for i in range(200)]
        proto = {
            "code": 990300,
            "name": "c",
            "title": "City",
            "location": {"lat": 29.0, "lon": 115.0},
            "counties": counties,
        }
        # the bound is 100 cities; a province's division codes (99XX00) leave room for 99
        n = _budget(proto, 99 - len(t["province"]["cities"]), t)
        t["province"]["cities"] += [
            {**copy.deepcopy(proto), "code": 990300 + 100 * i, "name": f"c{i:02d}", "title": f"City {i}"}
            for i in range(n)
        ]
        for c in t["province"]["cities"][2:]:
            c["counties"] = [k | {"name": f"{c['name']}-{k['name']}"} for k in c["counties"]]
    elif dimension == "tenants":
        proto = t["tenants"][1]
        n = _budget(proto, 5000 - len(t["tenants"]), t)
        t["tenants"] += [{**copy.deepcopy(proto), "name": f"tn{i:04d}"} for i in range(n)]
    elif dimension == "systems":
        proto = t["systems"][1]
        n = _budget(proto, 20_000 - len(t["systems"]), t)
        t["systems"] += [{**copy.deepcopy(proto), "name": f"sys{i:05d}"} for i in range(n)]
    elif dimension == "platform services":
        proto = t["platform_services"][0]
        t["platform_services"] += [
            {**copy.deepcopy(proto), "name": f"ps{i:03d}", "port": 8080 + i}
            for i in range(100 - len(t["platform_services"]))
        ]
    elif dimension == "kpis":
        proto = t["kpis"][0]
        t["kpis"] += [{**copy.deepcopy(proto), "year": 2000 + i} for i in range(64 - len(t["kpis"]))]
    elif dimension == "uses per system":
        names = [f"ps{i:02d}" for i in range(50 - len(t["platform_services"]))]
        proto = t["platform_services"][0]
        t["platform_services"] += [{**copy.deepcopy(proto), "name": n} for n in names]
        for s in t["systems"]:
            if s.get("hosting") == "cloud":
                s["uses"] = [p["name"] for p in t["platform_services"]]
    elif dimension == "centres and hosts":
        # every cloud at 8 centres, every centre at 32 hosts of each of the three roles: the plan
        # expands each host (addresses, links), so this is the lab-host expansion at its bound
        for c in t["clouds"]:
            proto = c["centres"][-1]
            c["centres"] += [
                proto | {"name": f"{c['name']}-x{i}", "role": "remote-dr"} for i in range(8 - len(c["centres"]))
            ]
            for ce in c["centres"]:
                ce["hosts"] = {"database": 32, "backup": 32, "gateway": 32}
        t["addressing"]["clusters"] |= {"pod_ipv4_prefix": 20, "service_ipv4_prefix": 24}
    elif dimension == "calls per system":
        # every system calls 200 others (the bound of connects_to): the zone-crossing rules' input
        proto = t["systems"][1]
        per = {**copy.deepcopy(proto), "connects_to": [f"sys{k:05d}" for k in range(200)]}
        n = max(201, _budget(per, 20_000, t))
        t["systems"] += [
            {
                **copy.deepcopy(proto),
                "name": f"sys{i:05d}",
                "connects_to": [f"sys{(i + k) % n:05d}" for k in range(1, 201)],
            }
            for i in range(n)
        ]
    elif dimension == "long text":
        # systems at the node budget, every text at its 200-character bound in a 3-byte script: the
        # 8 MiB file-size bound's side of the format (the node budget binds first for short text)
        proto = t["systems"][1] | {"title": "名" * 200, "department": "部" * 200}
        n = _budget(proto, 20_000 - len(t["systems"]), t)
        per_byte = len(yaml.safe_dump([proto], allow_unicode=True, width=10**6).encode())
        n = min(n, int((MAX_BYTES - len(yaml.safe_dump(t, allow_unicode=True).encode())) / per_byte * 0.97))
        t["systems"] += [{**copy.deepcopy(proto), "name": f"sys{i:05d}"} for i in range(n)]
    else:
        raise ValueError(dimension)
    return t


BOUNDS = (
    "clouds",
    "centres and hosts",
    "cities",
    "tenants",
    "systems",
    "calls per system",
    "long text",
    "platform services",
    "kpis",
    "uses per system",
)


def nodes(text: str) -> int:
    """YAML nodes as the loader's budget counts them: every scalar (keys too) and every collection."""
    return sum(isinstance(e, yaml.ScalarEvent | yaml.CollectionStartEvent) for e in yaml.parse(text, Loader=Loader))


def one(path: Path) -> tuple[float, float | None]:
    """(wall seconds, peak MiB) of one `govcloud validate` (exit 0 or 1 are both a finished run)."""
    cmd = [sys.executable, "-m", "govcloud", "validate", str(path)]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    t = time.perf_counter()
    if timer:
        r = subprocess.run([timer, "-v", *cmd], capture_output=True, text=True, cwd=ROOT)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        peak = int(m.group(1)) / 1024 if m else None
    else:
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        peak = None
    wall = time.perf_counter() - t
    if r.returncode not in (0, 1):
        raise SystemExit(f"validate exited {r.returncode}: {r.stderr[-2000:]}")
    return wall, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    # the largest system count whose file stays inside the node budget
    per_system = nodes(yaml.safe_dump(worst_case(200))) - nodes(yaml.safe_dump(worst_case(100)))
    full = int((MAX_NODES - nodes(yaml.safe_dump(worst_case(0)))) / (per_system / 100) * 0.98)
    print(f"worst case: every list near its bound; the node budget is {MAX_NODES} ({full} systems fill it)")
    print(f"  {'file':<30} {'nodes':>8} {'KiB':>7} {'wall s':>8} {'ms/1k nodes':>12} {'peak MiB':>9}")
    rows: list[tuple[str, Path]] = [("reference province", ROOT / "topology.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        for dim in BOUNDS:
            p = Path(tmp) / f"bound-{dim.replace(' ', '-')}.yaml"
            p.write_text(yaml.safe_dump(at_bound(dim), allow_unicode=True, width=10**6), encoding="utf-8")
            rows.append((f"at bound: {dim}", p))
        for frac in (8, 4, 2, 1):
            p = Path(tmp) / f"worst-1of{frac}.yaml"
            p.write_text(yaml.safe_dump(worst_case(full // frac), allow_unicode=True, width=10**6), encoding="utf-8")
            rows.append((f"worst case 1/{frac}" if frac > 1 else "worst case, full", p))
        for label, path in rows:
            text = path.read_text(encoding="utf-8")
            n = nodes(text)
            runs = [one(path) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            peaks = [r[1] for r in runs if r[1] is not None]
            peak = f"{max(peaks):.0f}" if peaks else "-"
            print(
                f"  {label:<30} {n:>8} {len(text.encode()) / 1024:>7.0f} {wall:>8.2f} {wall / n * 1e6:>12.2f} {peak:>9}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
