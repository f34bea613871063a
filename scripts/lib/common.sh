# shellcheck shell=bash
# Helpers every scripts/setup*.sh shares, defined once here and sourced, never run:
#
#   say MESSAGE...         a progress line on stderr, "<SETUP_PREFIX> MESSAGE"
#   die MESSAGE [CODE]     an error line on stderr, then exit CODE (default 2: usage / environment)
#   usage                  print the calling script's header comment (its --help)
#   pinned KEY [KIND]      a value from tools/versions.env, checked: KIND release (vX.Y.Z, the
#                          default), pseudo (vN.0.0-yyyymmddhhmmss-commit12), sum (h1:...) or go (1.N)
#   open_cache NAME        create the cache folders and hold $CACHE/.NAME.lock (waits for another run)
#   link TARGET NAME       $BIN_DIR/NAME -> TARGET, replaced atomically (TARGET relative to bin/)
#   need_go                find the go command once (sets GO_CMD) and fix how every Go build runs:
#                          GOTOOLCHAIN=local, CGO_ENABLED=0, Go >= GO_MIN_VERSION of tools/versions.env
#
# and the variables REPO_DIR VERSIONS_FILE CACHE TOOLS_DIR BIN_DIR SRC_DIR LOG_DIR GO_CMD.
# A script sets SETUP_PREFIX if it wants its own message prefix (default "[setup]"), then sources
# this file:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Environment: GOVCLOUD_CACHE (default /var/cache/govcloud), GOVCLOUD_VERSIONS_FILE (default
# <repo>/tools/versions.env), GO (default: go on PATH, else /usr/local/go/bin/go).

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSIONS_FILE="${GOVCLOUD_VERSIONS_FILE:-$REPO_DIR/tools/versions.env}"
CACHE="${GOVCLOUD_CACHE:-/var/cache/govcloud}"
TOOLS_DIR="$CACHE/tools"
BIN_DIR="$CACHE/bin"
SRC_DIR="$CACHE/src"
LOG_DIR="$CACHE/logs"
SETUP_PREFIX="${SETUP_PREFIX:-[setup]}"
GO_CMD=""

# Progress and errors go to stderr: stdout is for results (--help, --print-env, captured paths).
say() { printf '%s %s\n' "$SETUP_PREFIX" "$*" >&2; }
die() { printf '%s error: %s\n' "$SETUP_PREFIX" "$1" >&2; exit "${2:-2}"; }

# The header comment of the script that was run, from line 2 down to `set -euo pipefail`.
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

# Read KEY=value lines of the versions file; the file is never executed. The last line wins.
pinned() {
  local key=$1 kind=${2:-release} line value=""
  [[ -r $VERSIONS_FILE ]] || die "versions file not found: $VERSIONS_FILE"
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ ^[[:space:]]*${key}=([^[:space:]#]*) ]]; then
      value=${BASH_REMATCH[1]}
      value=${value%\"}; value=${value#\"}
    fi
  done <"$VERSIONS_FILE"
  [[ -n $value ]] || die "$key is not set in $VERSIONS_FILE"
  case $kind in
    release) [[ $value =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] \
               || die "$key=$value in $VERSIONS_FILE is not a release version vX.Y.Z" ;;
    pseudo)  [[ $value =~ ^v[0-9]+\.0\.0-[0-9]{14}-[0-9a-f]{12}$ ]] \
               || die "$key=$value in $VERSIONS_FILE is not a pseudo-version vN.0.0-yyyymmddhhmmss-commit12" ;;
    sum)     [[ $value =~ ^h1:[A-Za-z0-9+/]{43}=$ ]] \
               || die "$key=$value in $VERSIONS_FILE is not a go.sum hash h1:<base64 sha256>" ;;
    go)      [[ $value =~ ^1\.[0-9]+$ ]] \
               || die "$key=$value in $VERSIONS_FILE is not a Go release line 1.N" ;;
    *)       die "pinned: unknown kind $kind" ;;
  esac
  printf '%s' "$value"
}

# The cache folders, and a lock so two runs of one script never build into the same place.
# Holds file descriptor 9 until the script exits.
open_cache() {
  local name=$1
  mkdir -p "$TOOLS_DIR" "$BIN_DIR" "$SRC_DIR" "$LOG_DIR" || die "cannot create $CACHE (run as root or set GOVCLOUD_CACHE)"
  exec 9>"$CACHE/.$name.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { say "another $name run holds $CACHE/.$name.lock; waiting for it"; flock 9; }
  fi
}

# Point $BIN_DIR/NAME at TARGET; a reader never sees the link missing. Targets are relative
# (../tools/...), so the cache can be copied elsewhere.
link() {
  local target=$1 name=$2 tmp
  [[ $(readlink "$BIN_DIR/$name" 2>/dev/null || true) == "$target" ]] && return 0
  tmp="$BIN_DIR/.$name.tmp.$$"
  ln -sfn "$target" "$tmp"
  mv -Tf "$tmp" "$BIN_DIR/$name"
}

# go_at_least HAVE WANT: HAVE (1.26.8, 1.27rc1) is release line WANT (1.26) or newer.
go_at_least() {
  local have=$1 want=$2 hmaj hmin
  [[ $have =~ ^([0-9]+)\.([0-9]+) ]] || return 1
  hmaj=${BASH_REMATCH[1]} hmin=${BASH_REMATCH[2]}
  [[ $want =~ ^([0-9]+)\.([0-9]+)$ ]] || return 1
  ((hmaj > BASH_REMATCH[1] || (hmaj == BASH_REMATCH[1] && hmin >= BASH_REMATCH[2])))
}

# Looked up only when something has to be built: a warm run needs no Go at all.
need_go() {
  [[ -n $GO_CMD ]] && return 0
  local min candidate=${GO:-} version
  min=$(pinned GO_MIN_VERSION go) || exit  # (set -e does not apply inside `f || ...`)
  if [[ -z $candidate ]]; then
    candidate=$(command -v go 2>/dev/null || true)
    [[ -n $candidate ]] || candidate=/usr/local/go/bin/go
  fi
  [[ -x $candidate ]] || command -v "$candidate" >/dev/null 2>&1 ||
    die "go not found (looked at \$GO, PATH and /usr/local/go/bin/go); install Go >= $min (or set GO=/path/to/go)"
  # Never let a go.mod line make the go command fetch another toolchain: every build uses this one.
  export GOTOOLCHAIN=local
  # Static binaries, as upstream ships them.
  export CGO_ENABLED=0
  version=$("$candidate" env GOVERSION 2>/dev/null) || die "$candidate does not run"
  go_at_least "${version#go}" "$min" ||
    die "$candidate is $version; the tools need Go >= $min (GO_MIN_VERSION in $VERSIONS_FILE; set GO=/path/to/go)"
  GO_CMD=$candidate
  say "using $GO_CMD ($version), GOPROXY=$("$GO_CMD" env GOPROXY), GOMODCACHE=$("$GO_CMD" env GOMODCACHE), GOCACHE=$("$GO_CMD" env GOCACHE)"
}
