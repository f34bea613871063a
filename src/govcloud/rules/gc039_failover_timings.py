"""GC039: the DR policy's failover timings are ones Patroni accepts."""

from collections.abc import Iterator

from govcloud.diagnostics import Severity
from govcloud.plan import Plan
from govcloud.rules.base import Finding, Rule


def check(plan: Plan) -> Iterator[Finding]:
    f = plan.topology.dr_policy.failover
    if f.loop_wait + 2 * f.retry_timeout > f.ttl:
        yield Finding(
            f.at("ttl"),
            f"ttl {f.ttl}s is shorter than loop_wait + 2 × retry_timeout = {f.loop_wait + 2 * f.retry_timeout}s",
            "raise ttl, or lower loop_wait or retry_timeout: a primary must be able to retry the DCS twice "
            "and still renew its leader lock before it expires",
        )


RULE = Rule(
    "GC039",
    "failover-timings",
    Severity.ERROR,
    "Failover timings fit Patroni's constraint",
    "Patroni demotes a primary that cannot renew its leader lock; it retries the DCS for "
    "retry_timeout, twice within one ttl, on top of its loop_wait. With loop_wait + 2 × "
    "retry_timeout above ttl, the lock can expire while the primary still retries: a needless "
    "failover. Patroni refuses such a configuration.",
    "Patroni documentation, dynamic configuration settings (ttl, loop_wait, retry_timeout)",
    check=check,
    category="dr",
)
