#!/usr/bin/env bash
# Installs checkov (the Kubernetes manifest scanner the test suite runs) into its own venv, .venv-scan/:
# checkov pins many heavy dependencies that would fight the project's .venv. Idempotent and cached:
# a second run only checks the stamp. tests/integration/test_manifest_scan.py calls .venv-scan/bin/checkov.
#   scripts/setup-scan.sh            install or confirm
#   (to move checkov: edit requirements/checkov.in, run scripts/lock.sh)
set -euo pipefail
SETUP_PREFIX='[setup-scan]'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$(dirname "$0")/.."

LOCK=requirements/checkov.lock  # checkov and every dependency, hash-pinned (scripts/lock.sh)
VENV=.venv-scan

PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PY" -m venv "$VENV"
fi
# keep git and ruff (`make lint` runs `ruff check .`) out of it, as Python 3.13's venv does by itself
[ -f "$VENV/.gitignore" ] || printf '# created by scripts/setup-scan.sh\n*\n' > "$VENV/.gitignore"
stamp=$VENV/.checkov-lock
want=$(sha256sum < "$LOCK" | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$VENV/bin/checkov" ]; then
  say "checkov: cached"
  exit 0
fi
say "installing checkov into $VENV from $LOCK"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$LOCK"
"$VENV/bin/checkov" --version >/dev/null
echo "$want" > "$stamp"
say "checkov $("$VENV/bin/checkov" --version) ready"
