#!/usr/bin/env bash
# The benchmarks' own tools, installed only for them (CI never runs a benchmark):
#   scripts/setup-bench.sh            hyperfine and GNU time from Debian: public timers for bench/*.py
#   scripts/setup-bench.sh --kwokctl  also kwokctl, the lab benchmark's peer, built from the same kwok
#                                     module as the lab's controller (scripts/setup-k8s-tools.sh)
# Idempotent; a warm run takes a second.
set -euo pipefail
SETUP_PREFIX='[setup-bench]'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

kwokctl=0
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  --kwokctl) kwokctl=1 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

missing=()
for pkg in hyperfine time; do
  dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || missing+=("$pkg")
done
if ((${#missing[@]})); then
  [[ $EUID -eq 0 ]] || die "installing ${missing[*]} needs root (apt-get)"
  say "installing ${missing[*]} from Debian (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
say "hyperfine $(hyperfine --version | cut -d' ' -f2), GNU time $(dpkg-query -W -f='${Version}' time)"
if ((kwokctl)); then
  bash "$(dirname "${BASH_SOURCE[0]}")/setup-k8s-tools.sh" --with-kwokctl
fi
