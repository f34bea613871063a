#!/usr/bin/env bash
# The test command of `make test` (and so of CI): the unit and integration tiers, in two lanes at once.
#   lab-hosts lane  tests/integration/lab_hosts: site.yml on the compact lab hosts, then the DR drills
#                   on them; it waits on SSH, Patroni and drill timeouts more than it computes
#   main lane       everything else (unit tests, the kwok labs, Pulumi, the browser, the hostile inputs)
# The lanes share no lab folder, port or container (a lab's `down` removes only its own hosts), and
# each runs its tests in order, as one pytest would. The main lane prints as it goes; the lab-host
# lane's output goes to build/test-lab-hosts.log and is printed whole when both are done. The exit
# code is pytest's of the first lane that failed, or 0. Extra arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p build
log=build/test-lab-hosts.log
say() { printf '[test] %s\n' "$*" >&2; }

say "lab-host lane: tests/integration/lab_hosts in the background (output: $log)"
# its own cache provider off: two pytest runs must not write .pytest_cache at once
"$PY" -m pytest -p no:cacheprovider tests/integration/lab_hosts --durations=5 "$@" >"$log" 2>&1 &
hosts_pid=$!
trap 'kill "$hosts_pid" 2>/dev/null || true' EXIT INT TERM

main_rc=0
"$PY" -m pytest tests/unit tests/integration --ignore=tests/integration/lab_hosts --durations=12 "$@" || main_rc=$?

hosts_rc=0
if kill -0 "$hosts_pid" 2>/dev/null; then
  say "main lane done (exit $main_rc); waiting for the lab-host lane"
fi
wait "$hosts_pid" || hosts_rc=$?
trap - EXIT INT TERM
say "lab-host lane (exit $hosts_rc), $log:"
cat "$log"
if ((main_rc != 0)); then exit "$main_rc"; fi
exit "$hosts_rc"
