#!/usr/bin/env bash
# Regenerate the Python lock files that scripts/setup.sh and scripts/setup-scan.sh install from.
# Run it after changing dependencies in pyproject.toml or requirements/*.in, and commit the result:
#   scripts/lock.sh              re-resolve within the current pins where possible (uv keeps them)
#   scripts/lock.sh --upgrade    move every package to the newest release the constraints allow
# The locks are universal (markers for every platform and Python >= 3.11) and carry the sha256 of
# every artifact, so `pip install --require-hashes` installs exactly what was reviewed.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9  # the resolver that writes the locks; installing them needs only pip
say() { printf '[lock] %s\n' "$*" >&2; }

extra=()
[ "${1:-}" = "--upgrade" ] && extra+=(--upgrade)

tool=${GOVCLOUD_CACHE:-/var/cache/govcloud}/uv-$UV_VERSION
if [ ! -x "$tool/bin/uv" ]; then
  say "installing uv $UV_VERSION into $tool"
  python3 -m venv "$tool"
  "$tool/bin/python" -m pip install -q "uv==$UV_VERSION"
fi
compile() {  # compile OUT INPUT... [uv options]
  local out=$1; shift
  "$tool/bin/uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command scripts/lock.sh "${extra[@]}" -o "$out" "$@"
  say "wrote $out ($(grep -c '==' "$out") packages)"
}
compile requirements/govcloud.lock pyproject.toml requirements/tools.in --extra deploy --extra dev
compile requirements/checkov.lock requirements/checkov.in requirements/tools.in
