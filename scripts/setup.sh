#!/usr/bin/env bash
# Sets up everything govcloud and its tests need on a fresh Debian machine, idempotently:
# the Python environment, then (with --full) Docker, the lab host image and the upstream tools built
# from source. Every step is cached on the machine; a warm run takes seconds.
#   scripts/setup.sh          Python environment only (enough for validate, plan, render, unit tests)
#   scripts/setup.sh --full   everything the integration and live tests need
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$(dirname "$0")/.."

full=0
[ "${1:-}" = "--full" ] && full=1

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  say "Python 3.11 or newer is required (found: $("$PY" --version 2>&1))"; exit 2
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
# Exactly the reviewed versions, each artifact checked against its sha256 (requirements/govcloud.lock,
# written by scripts/lock.sh); then govcloud itself, editable, built with the locked setuptools.
stamp=.venv/.govcloud-deps
want=$(cat pyproject.toml requirements/govcloud.lock | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing Python packages from requirements/govcloud.lock (lock changed or first run)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
    -r requirements/govcloud.lock
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check >&2; say "the lock is inconsistent: run scripts/lock.sh"; exit 1; }
  echo "$want" > "$stamp"
else
  say "Python packages: cached"
fi

# Two lanes at once. The Go builds keep both cores busy for most of a cold setup; the system lane
# waits mostly on the network and the disk (apt, debootstrap, pip), so beside the builds it costs
# them little and its minutes disappear from the total. The lanes share nothing: apt runs in one
# lane only, and every Go tool has its own cache lock. A failed lane stops the other.
lane() {
  local name=$1 step argv; shift
  for step in "$@"; do
    say "$name lane: running $step"
    read -ra argv <<<"$step"  # a script and its arguments
    bash "${argv[@]}" || { say "$name lane: $step failed"; return 1; }
  done
}
if [ "$full" = 1 ]; then
  set -m  # each lane its own process group, so a failure can stop the other lane's children too
  lane system scripts/setup-docker.sh images/labhost/build.sh scripts/setup-docs.sh scripts/setup-scan.sh &
  system=$!
  lane go "scripts/setup-k8s-tools.sh --with-kind-node" scripts/setup-pulumi.sh scripts/setup-toxiproxy.sh &
  gobuild=$!
  set +m
  failed=0
  for _ in 1 2; do
    if ! wait -n "$system" "$gobuild" 2>/dev/null; then  # (the lane already reaped is "no such job")
      failed=1
      kill -TERM -- "-$system" "-$gobuild" 2>/dev/null || true
    fi
  done
  if [ "$failed" = 1 ]; then
    say "setup failed (the lane that failed says why above)"; exit 1
  fi
  # The kind node image needs both lanes: Docker (system) and the node's binaries (go).
  bash scripts/setup-kind.sh
fi
say "ready"
