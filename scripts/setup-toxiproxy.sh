#!/usr/bin/env bash
# Build Toxiproxy (github.com/Shopify/toxiproxy/v2: the TCP fault proxy the lab puts on every
# inter-centre link, BLUEPRINT §4) from the Go module proxy and keep it in the cache:
#
#   $GOVCLOUD_CACHE/tools/toxiproxy-<version>/bin/toxiproxy-server, toxiproxy-cli
#   $GOVCLOUD_CACHE/bin/toxiproxy-server, toxiproxy-cli        (symlinks to the pinned build)
#
# The version is TOXIPROXY_VERSION in tools/versions.env. A build already there for that version
# is not rebuilt (a warm run takes milliseconds and needs no Go). The module has no replace
# directives, so `go install <package>@<version>` builds it as published; the result goes to a
# temporary folder renamed into place only when both binaries built and ran.
#
# Environment: GOVCLOUD_CACHE (default /var/cache/govcloud), GOVCLOUD_VERSIONS_FILE, GO, and
# GOPROXY/GOFLAGS/GOMODCACHE/GOCACHE passed to go unchanged. The build runs with GOTOOLCHAIN=local
# and CGO_ENABLED=0 and needs Go >= GO_MIN_VERSION (tools/versions.env); the helpers are
# scripts/lib/common.sh.
# Exit codes: 0 ok, 1 the build failed, 2 usage or environment error.
set -euo pipefail

SETUP_PREFIX='[setup-toxiproxy]'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
MODULE=github.com/Shopify/toxiproxy/v2

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

VERSION=$(pinned TOXIPROXY_VERSION)
FINAL="$TOOLS_DIR/toxiproxy-$VERSION"
open_cache setup-toxiproxy

link_both() {
  local name
  for name in toxiproxy-server toxiproxy-cli; do
    link "../tools/toxiproxy-$VERSION/bin/$name" "$name"
  done
}

if [[ -x $FINAL/bin/toxiproxy-server && -x $FINAL/bin/toxiproxy-cli ]]; then
  link_both
  say "toxiproxy $VERSION: cached ($FINAL)"
  exit 0
fi

need_go
rm -rf "$TOOLS_DIR"/.tmp.toxiproxy.*
TMP=$(mktemp -d "$TOOLS_DIR/.tmp.toxiproxy.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LOG="$LOG_DIR/toxiproxy-$VERSION.log"
start=$(date +%s)
say "toxiproxy $VERSION: building $MODULE/cmd/{server,cli} (log: $LOG)"
# Stripped, with the version string upstream's release build sets.
if ! GOBIN="$TMP/bin" GOFLAGS=-mod=mod "$GO_CMD" install -trimpath \
  -ldflags "-s -w -X $MODULE.Version=$VERSION" \
  "$MODULE/cmd/server@$VERSION" "$MODULE/cmd/cli@$VERSION" >"$LOG" 2>&1; then
  tail -n 20 "$LOG" | sed 's/^/    /' >&2
  die "go install failed after $(($(date +%s) - start))s (see $LOG)" 1
fi
mv "$TMP/bin/server" "$TMP/bin/toxiproxy-server"
mv "$TMP/bin/cli" "$TMP/bin/toxiproxy-cli"
reported=$("$TMP/bin/toxiproxy-server" -version 2>&1 | head -n 1) || die "the built toxiproxy-server does not run" 1
chmod 755 "$TMP"
rm -rf "$FINAL"
mv -T "$TMP" "$FINAL"
trap - EXIT
link_both
say "toxiproxy $VERSION: built in $(($(date +%s) - start))s ($reported)"
