"""The govcloud Pulumi program: read config, build one component per cluster, export a summary.

Config (Pulumi.<stack>.yaml): govcloud:topology (default topology.yaml), govcloud:kubeconfig (default
.lab/kubeconfig). Paths are relative to the project folder, where Pulumi runs the program.
"""

from pathlib import Path

import pulumi
from cluster import ClusterArgs, GovcloudCluster

from govcloud import pipeline
from govcloud.diagnostics import GovcloudError

config = pulumi.Config("govcloud")
topology = config.get("topology") or pipeline.DEFAULT_TOPOLOGY
kubeconfig = str(Path(config.get("kubeconfig") or ".lab/kubeconfig").resolve())

try:
    plan = pipeline.load_plan(topology)
except GovcloudError as e:  # bad topology: the architect's messages, not a traceback
    raise pulumi.RunError("\n".join(d.render() for d in e.diagnostics)) from None

components = [GovcloudCluster(c.name, ClusterArgs(plan=plan, cluster=c, kubeconfig=kubeconfig))
              for c in plan.clusters]

pulumi.export("topology", topology)
pulumi.export("clusters", {c.cluster_name: c.summary for c in components})
pulumi.export("objects", sum(c.summary["objects"] for c in components))
