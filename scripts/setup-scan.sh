#!/usr/bin/env bash
# Installs checkov (the Kubernetes manifest scanner the test suite runs) into its own venv, .venv-scan/:
# checkov pins many heavy dependencies that would fight the project's .venv. Idempotent and cached:
# a second run only checks the stamp. tests/integration/test_manifest_scan.py calls .venv-scan/bin/checkov.
#   scripts/setup-scan.sh            install or confirm
#   CHECKOV_VERSION=3.3.x scripts/setup-scan.sh   pin another version
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${CHECKOV_VERSION:-3.3.30}
VENV=.venv-scan
say() { printf '[setup-scan] %s\n' "$*" >&2; }

PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PY" -m venv "$VENV"
fi
# keep git and ruff (`make lint` runs `ruff check .`) out of it, as Python 3.13's venv does by itself
[ -f "$VENV/.gitignore" ] || printf '# created by scripts/setup-scan.sh\n*\n' > "$VENV/.gitignore"
stamp=$VENV/.checkov-version
if [ "$(cat "$stamp" 2>/dev/null)" = "$VERSION" ] && [ -x "$VENV/bin/checkov" ]; then
  say "checkov $VERSION: cached"
  exit 0
fi
say "installing checkov $VERSION into $VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "checkov==$VERSION"
"$VENV/bin/checkov" --version >/dev/null
echo "$VERSION" > "$stamp"
say "checkov $("$VENV/bin/checkov" --version) ready"
