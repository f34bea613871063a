"""The govcloud Pulumi program: read config, build one component per cluster, export a summary.

Config (.lab/pulumi/Pulumi.<stack>.yaml, Pulumi.yaml's stackConfigDir): govcloud:topology (default
topology.yaml), govcloud:kubeconfig (default .lab/kubeconfig), govcloud:profile (full or compact:
which centres' clusters, as `govcloud lab up`).
Relative paths are relative to the project folder (where Pulumi.yaml is); Pulumi runs the program in
infra/, so they are resolved here rather than against the working directory.
"""

from pathlib import Path

import pulumi
from cluster import ClusterArgs, GovcloudCluster

from govcloud import pipeline
from govcloud.diagnostics import GovcloudError, UsageError
from govcloud.lab.kwok import select_clusters

PROJECT = Path(__file__).resolve().parent.parent

config = pulumi.Config("govcloud")
topology = str(PROJECT / (config.get("topology") or pipeline.DEFAULT_TOPOLOGY))
kubeconfig = str(PROJECT / (config.get("kubeconfig") or ".lab/kubeconfig"))
profile = config.get("profile") or "full"

try:
    plan = pipeline.load_plan(topology)
    clusters = select_clusters(plan, profile)
except GovcloudError as e:  # bad topology: the architect's messages, not a traceback
    raise pulumi.RunError("\n".join(d.render() for d in e.diagnostics)) from None
except UsageError as e:
    raise pulumi.RunError(str(e)) from None

components = [GovcloudCluster(c.name, ClusterArgs(plan=plan, cluster=c, kubeconfig=kubeconfig)) for c in clusters]

pulumi.export("topology", topology)
pulumi.export("clusters", {c.cluster_name: c.summary for c in components})
pulumi.export("objects", sum(c.summary["objects"] for c in components))
