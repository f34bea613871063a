"""`govcloud lab down`: everything the lab made, in the order it depends on itself.

1. the kwok clusters' processes (only those whose recorded identity still matches: `state`), their
   state, the lab CA and the kubeconfig;
2. the plan's kind clusters and the files kind's `up` wrote;
3. unless the hosts are kept: the fault proxy (a process of the lab, stopped without Docker), the lab
   host containers and networks, then the files only those hosts used — the SSH keys, the
   credentials the roles generated, the proxy's folder. With no Docker to ask, the host files stay:
   containers may still exist, and their keys and passwords with them.

`<lab>/pulumi` always stays: it is the Pulumi stack's state and passphrase, which `pulumi destroy`
(or `pulumi up --refresh` on the next lab) still needs. The lab folder goes too once it is empty.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from govcloud.lab import hosts as lab_hosts
from govcloud.lab import kind, links, state
from govcloud.lab.kwok import DownResult, KwokLab
from govcloud.plan import Plan

HOST_FILES = ("ssh", "secrets", "toxiproxy")
"""What `lab hosts up` and the playbooks write in the lab folder (`lab hosts down` keeps them)."""
KEPT = ("pulumi",)


@dataclass(slots=True)
class Teardown:
    clusters: DownResult
    kind_clusters: list[str] = field(default_factory=list)
    hosts_skipped: str | None = None
    """Why the lab hosts were not removed (--keep-hosts, or no Docker), or None if they were."""
    toxiproxy: str = "kept"
    containers: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": True,
            "exit_code": 0,
            "error": None,
            "processes": [p.as_dict() for p in self.clusters.stopped],
            "ignored_pid_files": self.clusters.ignored,
            "unrecorded_processes": [p.as_dict() for p in self.clusters.unrecorded],
            "kind_clusters": self.kind_clusters,
            "hosts": {
                "skipped": self.hosts_skipped,
                "toxiproxy": self.toxiproxy,
                "containers": self.containers,
                "networks": self.networks,
            },
            "removed": self.removed,
            "kept": self.kept,
        }


def down(plan: Plan, root: Path, *, keep_hosts: bool, docker: lab_hosts.Docker | None = None) -> Teardown:
    clusters = KwokLab(plan, root).down()
    result = Teardown(clusters, removed=list(clusters.removed))
    result.kind_clusters = kind.down(plan)
    result.removed += state.remove(root, kind.KIND_FILES)
    if keep_hosts:
        result.hosts_skipped = "--keep-hosts"
    else:
        result.toxiproxy = links.down(root)
        try:
            steps = lab_hosts.down(state=root, docker=docker)
        except lab_hosts.DockerError as e:  # no Docker answering: nothing to remove, host files stay
            result.hosts_skipped = str(e)
        else:
            result.containers = [s.name for s in steps if s.step == "container"]
            result.networks = [s.name for s in steps if s.step == "network"]
            result.removed += state.remove(root, HOST_FILES)
    result.kept = [str(root / n) for n in (*KEPT, *HOST_FILES) if (root / n).exists()]
    with contextlib.suppress(OSError):  # not empty (pulumi/, or a user's file): it stays
        root.rmdir()
    return result
