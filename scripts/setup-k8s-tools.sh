#!/usr/bin/env bash
# Build the upstream Kubernetes tools govcloud's lab runs (BLUEPRINT §4) from source, through
# the Go module proxy, and keep them in a cache on this machine:
#
#   kube-apiserver, kube-controller-manager, kube-scheduler,
#   kubectl                                                   k8s.io/kubernetes
#   etcd                                                      go.etcd.io/etcd/server/v3
#   kwok (the controller, not kwokctl)                        sigs.k8s.io/kwok/cmd/kwok
#   kind                                                      sigs.k8s.io/kind
#
# Versions come from tools/versions.env.  Each binary lands in
#   $GOVCLOUD_CACHE/tools/<binary>-<version>/bin/<binary>
# and a stable symlink $GOVCLOUD_CACHE/bin/<binary> points at the pinned one.  A binary that is
# already there for the pinned version is not rebuilt, so a warm run takes well under a second
# and does not need Go at all.  A build goes to a temporary directory beside its final place
# and is renamed into place only when it succeeded: nothing half-written is ever visible.
#
# k8s.io/kubernetes cannot be `go install`ed at a version (its go.mod replaces k8s.io/api and
# the other staging repos with ./staging/...), and etcd's server module likewise replaces its
# siblings with ../api etc.  So for every source module this script writes a throw-away wrapper
# module ($GOVCLOUD_CACHE/src/<module>-<version>/go.mod) that requires it at the pinned version,
# maps each replaced k8s.io/<staging repo> to its published v0.<minor>.<patch>, and builds the
# commands from there with `go build -mod=mod`.
#
# Air-gapped use: fill a module cache on a connected machine (run this script there with
# GOMODCACHE=/some/dir), copy that directory over, then run with
#   GOMODCACHE=/copied/dir GOPROXY=off GOFLAGS=-mod=mod
# See docs/offline-setup.md.
#
# Environment:
#   GOVCLOUD_CACHE          cache root                        (default /var/cache/govcloud)
#   GOVCLOUD_VERSIONS_FILE  pinned versions                   (default <repo>/tools/versions.env)
#   GO                      go command                        (default: go on PATH, else /usr/local/go/bin/go)
#   GOPROXY, GOFLAGS, GOMODCACHE, GOCACHE, GOSUMDB ...        passed to go unchanged
#
# Exit codes: 0 ok, 1 a build failed, 2 usage / environment error (go missing, bad versions file).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSIONS_FILE="${GOVCLOUD_VERSIONS_FILE:-$SCRIPT_DIR/../tools/versions.env}"
CACHE="${GOVCLOUD_CACHE:-/var/cache/govcloud}"
TOOLS_DIR="$CACHE/tools"
BIN_DIR="$CACHE/bin"
SRC_DIR="$CACHE/src"
LOG_DIR="$CACHE/logs"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$1" >&2; exit "${2:-2}"; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

# --- pinned versions: read KEY=value lines, never execute the file ------------------------
[[ -r $VERSIONS_FILE ]] || die "versions file not found: $VERSIONS_FILE"
pinned() {
  local key=$1 line value=""
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ ^[[:space:]]*${key}=([^[:space:]#]*) ]]; then
      value=${BASH_REMATCH[1]}
      value=${value%\"}; value=${value#\"}
    fi
  done <"$VERSIONS_FILE"
  [[ -n $value ]] || die "$key is not set in $VERSIONS_FILE"
  [[ $value =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "$key=$value in $VERSIONS_FILE is not a release version vX.Y.Z"
  printf '%s' "$value"
}
KUBERNETES_VERSION=$(pinned KUBERNETES_VERSION)
KWOK_VERSION=$(pinned KWOK_VERSION)
KIND_VERSION=$(pinned KIND_VERSION)
ETCD_VERSION=$(pinned ETCD_VERSION)

# --- cache directory and a lock so two runs never build into the same place -------------
mkdir -p "$TOOLS_DIR" "$BIN_DIR" "$SRC_DIR" "$LOG_DIR" || die "cannot create $CACHE (run as root or set GOVCLOUD_CACHE)"
exec 9>"$CACHE/.setup-k8s-tools.lock"
if command -v flock >/dev/null 2>&1; then
  flock -n 9 || { say "another setup-k8s-tools.sh is running on $CACHE; waiting for it"; flock 9; }
fi
# Leftovers of a run that was killed mid-build (we hold the lock, so none is in use).
find "$TOOLS_DIR" -maxdepth 1 -name '.tmp.k8s.*' -exec rm -rf {} + 2>/dev/null || true

fmt_duration() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# Point $BIN_DIR/<binary> at the pinned build; relative, so the cache can be copied elsewhere.
link_bin() {
  local name=$1 version=$2
  local target="../tools/$name-$version/bin/$name"
  if [[ $(readlink "$BIN_DIR/$name" 2>/dev/null || true) != "$target" ]]; then
    ln -sfn "$target" "$BIN_DIR/.$name.new"
    mv -fT "$BIN_DIR/.$name.new" "$BIN_DIR/$name"
  fi
}

# --- Go, looked for only when something has to be built --------------------------------
GO_CMD=""
need_go() {
  [[ -n $GO_CMD ]] && return 0
  local candidate=${GO:-}
  if [[ -z $candidate ]]; then
    candidate=$(command -v go 2>/dev/null || true)
    [[ -n $candidate ]] || candidate=/usr/local/go/bin/go
  fi
  [[ -x $candidate ]] || command -v "$candidate" >/dev/null 2>&1 ||
    die "go not found (looked at \$GO, PATH and /usr/local/go/bin/go); install Go >= 1.26 to build the Kubernetes tools"
  GO_CMD=$candidate
  local v
  v=$("$GO_CMD" env GOVERSION 2>/dev/null) || die "$GO_CMD does not run"
  say "using $GO_CMD ($v), GOPROXY=$("$GO_CMD" env GOPROXY), GOMODCACHE=$("$GO_CMD" env GOMODCACHE), GOCACHE=$("$GO_CMD" env GOCACHE)"
  # Static binaries, as upstream ships them.
  export CGO_ENABLED=0
}

# Write (or refresh) the wrapper module for <module>@<version>; prints its directory.
# Extra arguments are "path => path version" replace lines.
wrapper_module() {
  local module=$1 version=$2; shift 2
  local dir="$SRC_DIR/${module//\//_}-$version"
  mkdir -p "$dir"
  {
    printf '// Generated by scripts/setup-k8s-tools.sh: a throw-away module that builds\n'
    printf '// %s %s from the Go module proxy. Safe to delete.\n' "$module" "$version"
    printf 'module govcloud.local/build/%s\n\ngo 1.26.0\n\ngodebug default=go1.26\n\n' "${module//\//_}"
    printf 'require %s %s\n' "$module" "$version"
    if (($#)); then
      printf '\nreplace (\n'
      printf '\t%s\n' "$@"
      printf ')\n'
    fi
  } >"$dir/go.mod.new"
  # Keep go.sum and the requirements `go build -mod=mod` added if nothing changed.
  if ! cmp -s "$dir/go.mod.new" "$dir/go.mod.gen" 2>/dev/null; then
    cp "$dir/go.mod.new" "$dir/go.mod"
    mv -f "$dir/go.mod.new" "$dir/go.mod.gen"
  else
    rm -f "$dir/go.mod.new"
  fi
  printf '%s' "$dir"
}

# Replace lines for k8s.io/kubernetes@<version>: every module its go.mod maps to ./staging/...
# goes to the same module at v0.<minor>.<patch> (the published copy of that staging tree).
kubernetes_replaces() {
  local version=$1 gomod json staging=v0.${1#v1.}
  json=$(cd "$SRC_DIR" && GOFLAGS=-mod=mod "$GO_CMD" mod download -json "k8s.io/kubernetes@$version" 2>&1) || {
    printf '%s\n' "$json" >&2
    die "cannot download k8s.io/kubernetes@$version from the module proxy (GOPROXY=$("$GO_CMD" env GOPROXY))" 1
  }
  gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
  [[ -r $gomod ]] || die "no go.mod for k8s.io/kubernetes@$version in the module cache" 1
  awk -v v="$staging" '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 " => " $1 " " v }' "$gomod"
}

# build <binary> <version> <wrapper dir> <package> <tags> <ldflags> <version command...>
# If POST_BUILD names a function, it is called with the temporary install directory and the
# wrapper directory before that directory is moved into place (for files besides the binary).
POST_BUILD=""
build() {
  local name=$1 version=$2 dir=$3 pkg=$4 tags=$5 ldflags=$6; shift 6
  local final="$TOOLS_DIR/$name-$version" tmp log start took rc=0 hook=$POST_BUILD
  POST_BUILD=""
  log="$LOG_DIR/$name-$version.log"
  tmp=$(mktemp -d "$TOOLS_DIR/.tmp.k8s.$name.XXXXXX")
  chmod 755 "$tmp"
  mkdir -p "$tmp/bin"
  start=$(date +%s)
  {
    printf '# %s  go build %s (%s) in %s\n' "$(date -u +%FT%TZ)" "$pkg" "$version" "$dir"
    (cd "$dir" && "$GO_CMD" build -mod=mod -trimpath -tags "$tags" -ldflags "-s -w $ldflags" \
      -o "$tmp/bin/$name" "$pkg") || rc=$?
  } >"$log" 2>&1
  took=$(fmt_duration $(($(date +%s) - start)))
  if ((rc != 0)) || [[ ! -x $tmp/bin/$name ]]; then
    rm -rf "$tmp"
    printf '[setup] %s %s: BUILD FAILED after %s (go build exit %s); last lines of %s:\n' \
      "$name" "$version" "$took" "$rc" "$log" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  if [[ -n $hook ]] && ! "$hook" "$tmp" "$dir" >>"$log" 2>&1; then
    rm -rf "$tmp"
    printf '[setup] %s %s: installing its data files failed; see %s\n' "$name" "$version" "$log" >&2
    exit 1
  fi
  local reported
  reported=$("$tmp/bin/$name" "$@" 2>&1 | head -n 1) || true
  rm -rf "$final"
  mv -T "$tmp" "$final"
  link_bin "$name" "$version"
  say "$name $version: built in $took ($reported)"
}

# is_cached <binary> <version>: the pinned build is there, so only the symlink is ensured.
is_cached() {
  local name=$1 version=$2
  if [[ -x $TOOLS_DIR/$name-$version/bin/$name ]]; then
    link_bin "$name" "$version"
    say "$name $version: cached"
    return 0
  fi
  return 1
}

total_start=$(date +%s)

# --- Kubernetes control plane -----------------------------------------------------------
# kubectl too: ops engineers and the live test suite (testinfra) talk to the lab with it
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
k8s_todo=()
for b in "${K8S_BINS[@]}"; do
  is_cached "$b" "$KUBERNETES_VERSION" || k8s_todo+=("$b")
done
if ((${#k8s_todo[@]})); then
  need_go
  mapfile -t k8s_replaces < <(kubernetes_replaces "$KUBERNETES_VERSION")
  ((${#k8s_replaces[@]})) || die "k8s.io/kubernetes@$KUBERNETES_VERSION go.mod has no ./staging replaces; this script does not know how to build it" 1
  k8s_dir=$(wrapper_module k8s.io/kubernetes "$KUBERNETES_VERSION" "${k8s_replaces[@]}")
  # What `kube-apiserver --version` prints; buildDate is the release's publication time so
  # that two builds of one version are byte-identical.
  minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  build_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' \
    "$("$GO_CMD" env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBERNETES_VERSION.info" 2>/dev/null || true)
  k8s_ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    k8s_ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    k8s_ldflags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=archive -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
  done
  for b in "${k8s_todo[@]}"; do
    say "$b $KUBERNETES_VERSION: building (cold, a few minutes)…"
    version_cmd=(--version)
    [[ $b == kubectl ]] && version_cmd=(version --client)  # kubectl has no --version flag
    build "$b" "$KUBERNETES_VERSION" "$k8s_dir" "k8s.io/kubernetes/cmd/$b" \
      "selinux,notest,grpcnotrace" "$k8s_ldflags" "${version_cmd[@]}"
  done
fi

# --- etcd ---------------------------------------------------------------------------------
if ! is_cached etcd "$ETCD_VERSION"; then
  need_go
  say "etcd $ETCD_VERSION: building (cold, a few minutes)…"
  etcd_dir=$(wrapper_module go.etcd.io/etcd/server/v3 "$ETCD_VERSION")
  build etcd "$ETCD_VERSION" "$etcd_dir" go.etcd.io/etcd/server/v3 "" "" --version
fi

# --- kwok controller ----------------------------------------------------------------------
# kwok does nothing without Stage objects ("no stages found"): govcloud passes its own,
# src/govcloud/lab/kwok-stages.yaml, when the lab engine starts it.
if ! is_cached kwok "$KWOK_VERSION"; then
  need_go
  say "kwok $KWOK_VERSION: building (cold, a few minutes)…"
  kwok_dir=$(wrapper_module sigs.k8s.io/kwok "$KWOK_VERSION")
  build kwok "$KWOK_VERSION" "$kwok_dir" sigs.k8s.io/kwok/cmd/kwok "" "" --version
fi

# --- kind ---------------------------------------------------------------------------------
if ! is_cached kind "$KIND_VERSION"; then
  need_go
  say "kind $KIND_VERSION: building (cold, about a minute)…"
  kind_dir=$(wrapper_module sigs.k8s.io/kind "$KIND_VERSION")
  build kind "$KIND_VERSION" "$kind_dir" sigs.k8s.io/kind "" "" version
fi

say "all Kubernetes tools ready in $BIN_DIR ($(fmt_duration $(($(date +%s) - total_start))) total)"
