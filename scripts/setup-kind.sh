#!/usr/bin/env bash
# Everything `govcloud lab up --engine kind` needs, offline (docs/kind.md):
#   1. kubelet, kubeadm, kube-proxy, crictl, CoreDNS and kube-router, built from the Go module proxy
#      (scripts/setup-k8s-tools.sh --with-kind-node; cached);
#   2. the kernel limits several kind nodes need: inotify instances and watches (kind's known
#      issue "too many open files"; 128 instances here by default);
#   3. the node image and every image a node runs, built locally (images/kind-node/build.sh; cached
#      by recipe hash).
# Needs Docker running with the runc-nosysres runtime: scripts/setup-docker.sh. Run as root.
# Exit codes: 0 ok, 1 a build failed, 2 usage or environment error.
set -euo pipefail
SETUP_PREFIX='[setup] kind:'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

bash "$REPO_DIR/scripts/setup-k8s-tools.sh" --with-kind-node

raise() {  # raise KEY MIN: never lowers a value someone set higher
  local now
  now=$(sysctl -n "$1")
  if ((now < $2)); then
    sysctl -qw "$1=$2" && say "$1: $now -> $2"
  fi
}
raise fs.inotify.max_user_instances 512
raise fs.inotify.max_user_watches 524288

tag=$(bash "$REPO_DIR/images/kind-node/build.sh")
say "node image $tag ready"
