"""The plan summary as a readable text report."""

from __future__ import annotations

from typing import Any


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.1%}"


def render_plan(s: dict[str, Any]) -> str:
    c = s["clouds"]
    lines = [
        f"{s['name']}: {s['formula']} clouds ({c['provincial']} provincial, {c['city']} city, "
        f"{c['industry']} industry), {len(s['centres'])} centres, {len(s['clusters'])} lab clusters",
        "",
    ]
    lines.append("Clusters (one per data centre)")
    lines.append(f"  {'cluster':<20} {'cloud':<12} {'role':<14} {'region':<11} {'nodes':>5}  pods / services")
    for k in s["clusters"]:
        lines.append(
            f"  {k['name']:<20} {k['cloud']:<12} {k['role']:<14} {k['region']:<11} {k['nodes']:>5}  "
            f"{k['pod_ipv4']} {k['pod_ipv6']} / {k['service_ipv4']} {k['service_ipv6']}"
        )
    header = f"  {'tier':<9} {'nodes':>7} {'IPv4 prefixes':>14} {'used':>7} {'IPv6 prefixes':>14}"
    lines += ["", "Extranet (five tiers)", header]
    for tier, u in s["extranet"].items():
        lines.append(
            f"  {tier:<9} {u['nodes']:>7} {u['ipv4_capacity']:>14} {_pct(u['ipv4_used']):>7} {u['ipv6_capacity']:>14}"
        )
    lines += ["", "Replication and backup distances"]
    for lk in s["links"]:
        lines.append(
            f"  {lk['kind']:<15} {lk['cloud']:<12} {lk['from']:>14} → {lk['to']:<14} {lk['km']:>6.1f} km"
            f" (~{lk['route_km']:.0f} km fibre, {lk['rtt_ms']:.2f} ms RTT)"
        )
    lab = s["lab"]
    lines += ["", f"Lab: {len(lab['networks'])} networks, {len(lab['hosts'])} hosts; PostgreSQL replication:"]
    for r in lab["replication"]:
        lines.append(f"  {r['primary']} → {r['standby']} ({r['mode']})")
    lines += [
        "",
        f"Systems: {s['systems']['total']} in {s['systems']['tenants']} tenants; "
        f"{s['systems']['platform_services']} shared platform services",
        "",
        "KPIs",
    ]
    for k in s["kpis"]:
        mark = "met" if k["met"] else "BELOW TARGET"
        lines.append(
            f"  {k['title']:<16} {_pct(k['value']):>7} ({k['numerator']}/{k['denominator']})  "
            f"target {k['target']:.0%}  {mark}"
        )
    return "\n".join(lines)
