#!/usr/bin/env bash
# Print the environment that runs the source-built Pulumi engine against the lab, offline:
#
#   eval "$(scripts/pulumi-env.sh)"
#   pulumi stack select lab --create
#   pulumi up --policy-pack policy/govcloud-policy
#
# On top of `setup-pulumi.sh --print-env` (engine and provider on PATH, no update checks, no plugin
# downloads) it points Pulumi at the lab's state folder ($GOVCLOUD_LAB_DIR, else .lab/ here):
#   PULUMI_BACKEND_URL=file://<lab>/pulumi/state   the stack's state, a local file backend
#   PULUMI_CONFIG_PASSPHRASE_FILE=<lab>/pulumi/passphrase   random, mode 0600, made on first use
#   PULUMI_PYTHON_CMD=<repo>/.venv/bin/python       the program's Python (the language host built
#                                                   here ignores Pulumi.yaml's virtualenv option)
#   PULUMI_SKIP_CHECKPOINTS=true (unless set)       write the state once at the end, not after every
#                                                   step: the file backend rewrites the whole state each
#                                                   time, which made `pulumi up` of the province CPU-bound
#                                                   (see docs/benchmarks.md). A killed run loses its record
#                                                   of what it created; the lab's provider creates by
#                                                   server-side apply, so the next `pulumi up` adopts them.
#   PULUMI_PARALLEL=64 (unless set)                 resource operations at once (the CLI's own default is
#                                                   4 x cores, 8 here): most of a Kubernetes resource's
#                                                   time is the provider waiting on an apiserver, and the
#                                                   province has twenty (`pulumi up` 119 s -> 94 s).
# The stack's settings file with its encryption salt, Pulumi.<stack>.yaml, is written to .lab/pulumi/
# beside Pulumi.yaml (its `stackConfigDir`), not into the checkout. That folder is fixed: with
# GOVCLOUD_LAB_DIR elsewhere the state and passphrase move but the settings do not, so a checkout
# whose stack was made with one lab folder needs `rm .lab/pulumi/Pulumi.<stack>.yaml` before
# `pulumi stack select <stack> --create` with another (else: incorrect passphrase).
# `govcloud lab down` keeps <lab>/pulumi: destroy the stack first, or run `pulumi up --refresh` on
# the next lab.
#
# Usage: pulumi-env.sh [--help]     Exit codes: 0 ok, 2 usage or environment error.
set -euo pipefail

say() { printf '[pulumi-env] %s\n' "$*" >&2; }
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) say "unknown argument: $1 (try --help)"; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lab="${GOVCLOUD_LAB_DIR:-$PWD/.lab}"
mkdir -p "$lab" || { say "cannot create the lab folder $lab"; exit 2; }
lab="$(cd "$lab" && pwd)"
state="$lab/pulumi/state"
passphrase="$lab/pulumi/passphrase"

(umask 077 && mkdir -p "$state")
if [[ ! -s $passphrase ]]; then
  # Secrets in the lab stack are encrypted with this; it never leaves the lab's state folder.
  (umask 077 && head -c 32 /dev/urandom | base64 >"$passphrase.tmp.$$" && mv "$passphrase.tmp.$$" "$passphrase")
fi
py="$repo/.venv/bin/python"
[[ -x $py ]] || say "warning: $py not found; run scripts/setup.sh first (the program needs pulumi and govcloud)"

bash "$repo/scripts/setup-pulumi.sh" --print-env
cat <<EOF2
export PULUMI_BACKEND_URL="file://$state"
export PULUMI_CONFIG_PASSPHRASE_FILE="$passphrase"
unset PULUMI_CONFIG_PASSPHRASE
export PULUMI_PYTHON_CMD="$py"
export PULUMI_SKIP_CHECKPOINTS="\${PULUMI_SKIP_CHECKPOINTS:-true}"
export PULUMI_PARALLEL="\${PULUMI_PARALLEL:-64}"
EOF2
