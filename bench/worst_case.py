"""Benchmark: validate stays linear up to the file format's bounds.

Builds topologies that push every list toward its bound at once — systems with the most calls,
tenants, overlapping zones, boundaries with the most ports, counties, KPIs — at 1/8, 1/4, 1/2 and
all of the node budget (MAX_NODES, counting alias expansions), and times `govcloud validate` on each
as a user runs it (a fresh process; wall time and peak memory by /usr/bin/time -v when present).
Time per thousand nodes must stay flat: that is what "linear" means here. The reference province is
measured in the same run for scale.

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
from govcloud.load import MAX_NODES  # noqa: E402

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
    print(f"  {'file':<22} {'nodes':>8} {'KiB':>7} {'wall s':>8} {'ms/1k nodes':>12} {'peak MiB':>9}")
    rows: list[tuple[str, Path]] = [("reference province", ROOT / "topology.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
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
                f"  {label:<22} {n:>8} {len(text.encode()) / 1024:>7.0f} {wall:>8.2f} {wall / n * 1e6:>12.2f} {peak:>9}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
