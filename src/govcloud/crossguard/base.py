"""What a check is: a name, what it enforces and why, and a function from objects to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from govcloud.crossguard.objects import KubeObject

MLPS = "MLPS 2.0"
MLPS_VERSION = "GB/T 22239-2019"


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation: the object it is about and a message an ops engineer can act on."""

    obj: KubeObject
    message: str


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    """The policy's name in the pack (kebab-case; what `pulumi preview` prints)."""
    description: str
    remediation: str
    reference: str
    """Where the requirement comes from (a clause of GB/T 22239-2019, or the blueprint's conventions)."""
    run: Callable[[Iterable[KubeObject], Mapping[str, Any]], Iterator[Finding]]
    """The objects of the whole stack (or of one resource, if `per_object`) and the policy's config."""
    per_object: bool = False
    """True when the check needs only the object itself: it then runs as a resource validation policy,
    as each resource registers; otherwise as a stack validation policy over every resource."""
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """JSON Schema properties of the policy's configuration, each with its default."""

    def defaults(self) -> dict[str, Any]:
        return {k: v["default"] for k, v in self.config.items() if "default" in v}

    def findings(self, objects: Iterable[KubeObject], config: Mapping[str, Any] | None = None) -> list[Finding]:
        return list(self.run(objects, {**self.defaults(), **(config or {})}))
