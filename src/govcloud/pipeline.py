"""The front of the flow in one call: load → model → plan → rules. Every command starts here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath

from govcloud import rules
from govcloud.diagnostics import MAX_PER_RULE, Diagnostic, GovcloudError, Severity, sort_key
from govcloud.load import Document, load_file
from govcloud.model import Topology, decode
from govcloud.plan import Plan, build_plan

DEFAULT_TOPOLOGY = "topology.yaml"


@dataclass(slots=True)
class Checked:
    document: Document
    topology: Topology
    plan: Plan
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.WARNING]


def check(path: str | FsPath = DEFAULT_TOPOLOGY, *, per_rule: int = MAX_PER_RULE) -> Checked:
    """Load, decode, plan and run every rule. Raises GovcloudError for files that cannot be decoded."""
    doc = load_file(path)
    topo = decode(doc)
    plan = build_plan(topo)
    diags = sorted(rules.run(plan, doc, per_rule=per_rule), key=sort_key)
    return Checked(doc, topo, plan, diags)


def load_plan(path: str | FsPath = DEFAULT_TOPOLOGY, *, strict: bool = False) -> Plan:
    """A plan that downstream stages may trust: refuses a topology with errors (or warnings if strict)."""
    checked = check(path)
    bad = checked.diagnostics if strict else checked.errors
    if bad:
        raise GovcloudError(bad)
    return checked.plan
