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
# Self-contained on purpose (no sourced helpers) so it can move onto scripts/lib/ later.
#
# Environment: GOVCLOUD_CACHE (default /var/cache/govcloud), GOVCLOUD_VERSIONS_FILE, GO, and
# GOPROXY/GOFLAGS/GOMODCACHE/GOCACHE passed to go unchanged.
# Exit codes: 0 ok, 1 the build failed, 2 usage or environment error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSIONS_FILE="${GOVCLOUD_VERSIONS_FILE:-$HERE/../tools/versions.env}"
CACHE="${GOVCLOUD_CACHE:-/var/cache/govcloud}"
MODULE=github.com/Shopify/toxiproxy/v2

say() { printf '[setup-toxiproxy] %s\n' "$*" >&2; }
die() { printf '[setup-toxiproxy] error: %s\n' "$1" >&2; exit "${2:-2}"; }

case "${1:-}" in
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

[[ -r $VERSIONS_FILE ]] || die "versions file not found: $VERSIONS_FILE"
VERSION=$(sed -n 's/^[[:space:]]*TOXIPROXY_VERSION=\([^[:space:]#]*\).*/\1/p' "$VERSIONS_FILE" | tail -n 1)
[[ $VERSION =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "TOXIPROXY_VERSION in $VERSIONS_FILE is not a release version vX.Y.Z"

FINAL="$CACHE/tools/toxiproxy-$VERSION"
mkdir -p "$CACHE/tools" "$CACHE/bin" "$CACHE/logs" || die "cannot create $CACHE (run as root or set GOVCLOUD_CACHE)"

link() {  # relative symlinks, so the cache can be copied elsewhere
  local name
  for name in toxiproxy-server toxiproxy-cli; do
    ln -sfn "../tools/toxiproxy-$VERSION/bin/$name" "$CACHE/bin/.$name.new"
    mv -fT "$CACHE/bin/.$name.new" "$CACHE/bin/$name"
  done
}

if [[ -x $FINAL/bin/toxiproxy-server && -x $FINAL/bin/toxiproxy-cli ]]; then
  link
  say "toxiproxy $VERSION: cached ($FINAL)"
  exit 0
fi

GO_CMD=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
[[ -x $GO_CMD ]] || die "go not found (looked at \$GO, PATH and /usr/local/go/bin/go); install Go to build toxiproxy"
exec 9>"$CACHE/.setup-toxiproxy.lock"
flock 9
rm -rf "$CACHE"/tools/.tmp.toxiproxy.*
TMP=$(mktemp -d "$CACHE/tools/.tmp.toxiproxy.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LOG="$CACHE/logs/toxiproxy-$VERSION.log"
start=$(date +%s)
say "toxiproxy $VERSION: building $MODULE/cmd/{server,cli} with $("$GO_CMD" env GOVERSION) (log: $LOG)"
# Static binaries, stripped, with the version string upstream's release build sets.
if ! CGO_ENABLED=0 GOBIN="$TMP/bin" GOFLAGS=-mod=mod "$GO_CMD" install -trimpath \
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
link
say "toxiproxy $VERSION: built in $(($(date +%s) - start))s ($reported)"
