#!/usr/bin/env bash
# Install what `govcloud graph`, the documentation site and the browser tests need from Debian:
#   graphviz            `dot` and `neato` turn the diagrams govcloud writes (DOT) into SVG and PNG
#   chromium            headless, for the browser tests of the KPI report and the docs site
#   fonts-wqy-microhei  a CJK font, so Chinese names in diagrams and pages are drawn, not boxes
# Idempotent: when every package is there it only checks dpkg and returns in well under a second.
# Run as root. Exit codes: 0 ok, 1 install failed, 2 environment error.
set -euo pipefail

SETUP_PREFIX='[setup-docs]'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PACKAGES=(graphviz chromium fonts-wqy-microhei)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  [[ $EUID -eq 0 ]] || { say "must run as root to install ${missing[*]}"; exit 2; }
  say "installing ${missing[*]} from Debian (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # another apt or dpkg run (a second setup) may hold dpkg's lock for a while: wait for it
  lock=(-o DPkg::Lock::Timeout=600)
  apt-get "${lock[@]}" update -q >/dev/null
  # no recommends: chromium's (upower, notification daemons, extra fonts) are for desktops
  apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null || {
    say "apt-get install ${missing[*]} failed"; exit 1; }
fi
command -v dot >/dev/null || { say "dot missing after installing graphviz"; exit 1; }
command -v chromium >/dev/null || { say "chromium missing after installing it"; exit 1; }
say "graphviz $(dpkg-query -W -f='${Version}' graphviz), chromium $(dpkg-query -W -f='${Version}' chromium) ready"
