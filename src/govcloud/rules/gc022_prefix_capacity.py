"""GC022: every supernet is large enough for what the plan expands into it."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.plan.clusters import pool_capacities
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    t = plan.topology
    for tier, use in plan.tier_use.items():
        spec = t.addressing.extranet.get(tier)
        if spec is None:
            yield Finding(
                t.addressing.at("extranet"),
                f"no address plan for the {tier.value} tier",
                f"add extranet.{tier.value} with ipv4/ipv6 supernets",
            )
            continue
        if spec.ipv4 is not None and not use.ipv4_fits:
            yield Finding(
                spec.at("ipv4"),
                f"{tier.value} tier needs {use.nodes} /{spec.ipv4_node_prefix} prefixes; "
                f"{spec.ipv4} holds {use.ipv4_capacity}",
                "use a shorter supernet prefix or a longer node prefix",
            )
        if spec.ipv6 is not None and not use.ipv6_fits:
            yield Finding(
                spec.at("ipv6"),
                f"{tier.value} tier needs {use.nodes} /{spec.ipv6_node_prefix} prefixes; "
                f"{spec.ipv6} holds {use.ipv6_capacity}",
                "use a shorter supernet prefix or a longer node prefix",
            )
    need = sum(len(c.centres) for c in t.clouds)
    cl = t.addressing.clusters
    for key, holds in sorted(pool_capacities(t).items()):
        if holds < need:
            yield Finding(
                cl.at(key),
                f"{need} clusters need a /{getattr(cl, key + '_prefix')} each from the {key.replace('_', ' ')} pool "
                f"{getattr(cl, key)}, which holds {holds}",
                f"widen {key} or lengthen {key}_prefix",
            )
    lab = t.addressing.lab
    if not plan.lab.fits:
        if lab.ipv6 is not None and (
            lab.centre_ipv6_prefix < lab.ipv6.prefixlen or need > 1 << (lab.centre_ipv6_prefix - lab.ipv6.prefixlen)
        ):
            yield Finding(
                lab.at("ipv6"),
                f"lab IPv6 range {lab.ipv6} has no room for {need} centre networks of /{lab.centre_ipv6_prefix}",
                "widen the lab IPv6 range or lengthen centre_ipv6_prefix",
            )
        else:
            yield Finding(
                lab.at("ipv4"),
                f"lab range {lab.ipv4} has no room for {need} centre networks of /{lab.centre_prefix} plus a backbone",
                "widen the lab range",
            )
    centres = {dc.name: dc for c in t.clouds for dc in c.centres}
    for crowd in plan.lab.crowded:
        if crowd.centre is None:
            yield Finding(
                lab.at("centre_prefix"),
                f"the lab backbone (/{lab.centre_prefix}) has room for {crowd.room} hosts; the centres declare "
                f"{crowd.hosts}",
                "shorten centre_prefix, or declare fewer lab hosts",
            )
        else:
            yield Finding(
                centres[crowd.centre].at("hosts"),
                f"centre '{crowd.centre}' declares {crowd.hosts} lab hosts; its lab network has room for {crowd.room}",
                "shorten addressing.lab.centre_prefix (and centre_ipv6_prefix), or declare fewer hosts",
            )
    for c in t.clouds:
        for z in c.zones:
            for fam in ("ipv4", "ipv6"):
                zn, cn = getattr(z, fam), getattr(c, fam)
                if zn is not None and cn is not None and zn.version == cn.version and not zn.subnet_of(cn):
                    yield Finding(
                        z.at(fam),
                        f"zone '{z.name}' {zn} is outside cloud '{c.name}' {cn}",
                        "carve zone subnets from the cloud's supernet",
                    )


RULE = Rule(
    "GC022",
    "prefix-capacity",
    Severity.ERROR,
    "Prefixes fit what the plan expands",
    "The plan expands every village, township and county into extranet nodes, one prefix each, gives "
    "every lab cluster its own pod and service ranges, and every centre a lab network with an address "
    "per lab host. Each supernet must hold all of them, and each zone must sit inside its cloud's range.",
    "seed 004 §九.1 (五级全覆盖); RFC 4632 CIDR",
    check=check,
    category="addressing",
)
