#!/usr/bin/env bash
# Build the Pulumi engine govcloud deploys with (BLUEPRINT §4) from source, through the Go module
# proxy, and keep it in a cache on this machine:
#
#   pulumi                        the CLI/engine      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   pulumi-language-python        Python lang. host   github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
#     + pulumi-language-python-exec (the shim the host runs, from the sdk/v3 module at PULUMI_VERSION)
#   pulumi-resource-kubernetes    Kubernetes provider github.com/pulumi/pulumi-kubernetes/provider/v4
#                                                     (cmd/pulumi-resource-kubernetes, schema.json embedded)
#
# Versions come from tools/versions.env (PULUMI_*). Each tool lands in
#   $GOVCLOUD_CACHE/tools/<tool>-<version>/bin/
# and a stable symlink $GOVCLOUD_CACHE/bin/<binary> points at the pinned one. A tool already
# there is not rebuilt (a warm run takes well under a second and needs neither Go nor network).
# A build goes to a temporary directory beside its final place and is renamed into place only
# when it succeeded and its version checked out.
#
# The upstream go.mod files carry `replace` directives (../sdk and a clipboard fork), so
# `go install module@version` refuses them. For each tool this script writes a throw-away wrapper
# module ($GOVCLOUD_CACHE/src/<tool>-<version>/go.mod) that requires the pinned module; it reads
# the upstream go.mod at run time and reproduces each replace: a module->module replace as is,
# a module->../dir replace as the same module at its pinned published version. Then it builds
# with `go build -mod=mod -trimpath` and version ldflags.
#
# Python language host: its own module has no tags, so versions.env pins the pseudo-version of
# the release commit. If the proxy cannot serve it (this workplace's proxy answers 403), the host
# is built from the last sdk/v3 release that still contained it (PULUMI_PYTHON_HOST_FALLBACK_VERSION)
# and runs the exec shim of PULUMI_VERSION; docs/pulumi-engine.md explains what that means.
#
# Running pulumi offline afterwards (print these with --print-env):
#   PATH=$GOVCLOUD_CACHE/bin:$PATH                 plugins found as ambient plugins on PATH
#   PULUMI_SKIP_UPDATE_CHECK=true                  no "new version available" query
#   PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true  a missing plugin is an error, never a download
#   PULUMI_DISABLE_REGISTRY_RESOLVE=true           no Pulumi Registry lookups for package names
#   PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true  Automation API does not parse/compare CLI version
#   PULUMI_IGNORE_AMBIENT_PLUGINS must stay unset.
#
# Air-gapped use: run this script once on a connected machine with GOMODCACHE=/some/dir, copy that
# directory over, then run with GOMODCACHE=/copied/dir GOPROXY=off GOSUMDB=off (see the doc).
#
# Usage: setup-pulumi.sh [--print-env | --help]
#
# Environment:
#   GOVCLOUD_CACHE          cache root                        (default /var/cache/govcloud)
#   GOVCLOUD_VERSIONS_FILE  pinned versions                   (default <repo>/tools/versions.env)
#   GO                      go command                        (default: go on PATH, else /usr/local/go/bin/go)
#   GOPROXY, GOFLAGS, GOMODCACHE, GOCACHE, GOSUMDB ...        passed to go unchanged
# Every build runs with GOTOOLCHAIN=local and CGO_ENABLED=0 and needs Go >= GO_MIN_VERSION
# (tools/versions.env); the helpers are scripts/lib/common.sh.
#
# Exit codes: 0 ok, 1 a build failed, 2 usage / environment error (go missing, bad versions file).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

print_env() {
  cat <<EOF
export PATH="$BIN_DIR:\$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
unset PULUMI_IGNORE_AMBIENT_PLUGINS
EOF
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --print-env) print_env; exit 0 ;;
  "") ;;
  *) die "unknown argument: $1 (try --help)" ;;
esac

# --- pinned versions ---------------------------------------------------------------------
PULUMI_VERSION=$(pinned PULUMI_VERSION)
PULUMI_LANGUAGE_PYTHON_MODVERSION=$(pinned PULUMI_LANGUAGE_PYTHON_MODVERSION pseudo)
PULUMI_PYTHON_HOST_FALLBACK_VERSION=$(pinned PULUMI_PYTHON_HOST_FALLBACK_VERSION)
PULUMI_KUBERNETES_VERSION=$(pinned PULUMI_KUBERNETES_VERSION)
PULUMI_KUBERNETES_PROVIDER_MODVERSION=$(pinned PULUMI_KUBERNETES_PROVIDER_MODVERSION pseudo)
PULUMI_KUBERNETES_PROVIDER_SUM=$(pinned PULUMI_KUBERNETES_PROVIDER_SUM sum)
PULUMI_KUBERNETES_PROVIDER_GOMOD_SUM=$(pinned PULUMI_KUBERNETES_PROVIDER_GOMOD_SUM sum)

PULUMI_PKG=github.com/pulumi/pulumi/pkg/v3
PULUMI_SDK=github.com/pulumi/pulumi/sdk/v3
PY_HOST_MOD=github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
K8S_MOD=github.com/pulumi/pulumi-kubernetes/provider/v4
K8S_SDK=github.com/pulumi/pulumi-kubernetes/sdk/v4
PULUMI_VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
K8S_VERSION_VAR=$K8S_MOD/pkg/version.Version

# --- cache directory and a lock so two runs never build into the same place -------------
open_cache setup-pulumi

# Directory of <module>@<version> in the module cache (downloads it if needed); empty on failure,
# with the go command's reason in the file named by $3. Runs in directory $4 (default $SRC_DIR),
# so a go.sum there (see PINNED_SUMS) is what the download is verified against.
mod_dir() {
  local mod=$1 ver=$2 errfile=$3 dir=${4:-$SRC_DIR}
  (cd "$dir" && "$GO_CMD" mod download -json "$mod@$ver" 2>"$errfile") | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
if d.get("Error") or not d.get("Dir"):
    with open(sys.argv[1], "a") as f:
        f.write((d.get("Error") or "no Dir in go mod download output") + "\n")
    sys.exit(1)
print(d["Dir"])
' "$errfile"
}

# Checksums pinned in versions.env for module versions the checksum database does not know
# ("<module> <version>" -> "<h1 of zip> <h1 of go.mod>"). They are written into the wrapper's
# go.sum, so the go command verifies the download against them instead of asking sum.golang.org.
declare -A PINNED_SUMS=(
  ["github.com/pulumi/pulumi-kubernetes/provider/v4 $PULUMI_KUBERNETES_PROVIDER_MODVERSION"]="$PULUMI_KUBERNETES_PROVIDER_SUM $PULUMI_KUBERNETES_PROVIDER_GOMOD_SUM"
)

# Build one command from a pinned module through a generated wrapper module.
#   build_go_tool <tool> <dest-dir> <module> <module-version> <package> <binary> <ldflags>
#                 <local-replace-map...>
# <local-replace-map> entries are "<module-path>=<version>": how to pin a module that the
# upstream go.mod replaces with a local ../directory. Anything unmapped is an error.
build_go_tool() {
  local tool=$1 dest=$2 mod=$3 ver=$4 pkg=$5 binary=$6 ldflags=$7
  shift 7
  local -A local_pins=()
  local kv
  for kv in "$@"; do local_pins[${kv%%=*}]=${kv#*=}; done

  local log="$LOG_DIR/$tool.log" wrap="$SRC_DIR/$tool" moddir gomod godirective sums
  : >"$log"
  # Wrapper module, written fresh every time: first just a module line and the pinned go.sum
  # lines (if any) so the source module is fetched and verified, then require + replaces.
  rm -rf "$wrap"; mkdir -p "$wrap"
  printf 'module govcloud.invalid/build/%s\n' "$tool" >"$wrap/go.mod"
  : >"$wrap/go.sum"
  sums=${PINNED_SUMS["$mod $ver"]:-}
  if [[ -n $sums ]]; then
    printf '%s %s %s\n%s %s/go.mod %s\n' "$mod" "$ver" "${sums% *}" "$mod" "$ver" "${sums#* }" >"$wrap/go.sum"
  fi
  moddir=$(mod_dir "$mod" "$ver" "$log.err" "$wrap") || true
  if [[ -z $moddir || ! -d $moddir ]]; then
    cat "$log.err" >>"$log" 2>/dev/null || true
    say "$tool: cannot get $mod@$ver from the module proxy: $(tail -n1 "$log.err" 2>/dev/null)" >&2
    return 1
  fi
  gomod="$moddir/go.mod"
  # The upstream module's own go.sum is its lock file: seed the wrapper's go.sum with it, so every
  # dependency it lists is verified against upstream's hashes (this workplace's checksum database
  # does not know every version, e.g. pulumi/pkg/v3 v3.215.0).
  [[ -f $moddir/go.sum ]] && cat "$moddir/go.sum" >>"$wrap/go.sum"
  godirective=$("$GO_CMD" mod edit -json "$gomod" | sed -n 's/^[[:space:]]*"Go": "\([^"]*\)",\{0,1\}$/\1/p')
  {
    printf '// Generated by scripts/setup-pulumi.sh: builds %s from %s@%s. Do not edit.\n' "$binary" "$mod" "$ver"
    printf 'module govcloud.invalid/build/%s\n\ngo %s\n\nrequire %s %s\n' "$tool" "${godirective:-1.22}" "$mod" "$ver"
  } >"$wrap/go.mod"
  # Each replace of the upstream go.mod, one per line: "<old> <oldver> <new> <newver>" ("-" = none).
  local old oldv new newv
  while read -r old oldv new newv; do
    [[ -n $old ]] || continue
    local lhs=$old; [[ $oldv != - ]] && lhs="$old $oldv"
    if [[ $newv != - ]]; then
      printf 'replace %s => %s %s\n' "$lhs" "$new" "$newv" >>"$wrap/go.mod"
    elif [[ -n ${local_pins[$old]:-} ]]; then
      printf 'replace %s => %s %s\n' "$lhs" "$old" "${local_pins[$old]}" >>"$wrap/go.mod"
    else
      say "$tool: $mod@$ver replaces $old with local path $new and this script has no pinned version for it" >&2
      return 1
    fi
  done < <("$GO_CMD" mod edit -json "$gomod" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    o, n = r["Old"], r["New"]
    print(o["Path"], o.get("Version") or "-", n["Path"], n.get("Version") or "-")
' | sort -u)

  {
    echo "== wrapper go.mod"; cat "$wrap/go.mod"; echo "== go get"
  } >>"$log"
  (cd "$wrap" && "$GO_CMD" get "$mod@$ver") >>"$log" 2>&1 || {
    say "$tool: resolving dependencies failed; last lines of $log:" >&2; tail -n 15 "$log" >&2; return 1; }
  if [[ -n ${PREBUILD_HOOK:-} ]]; then
    echo "== $PREBUILD_HOOK" >>"$log"
    "$PREBUILD_HOOK" "$wrap" "$moddir" >>"$log" 2>&1 || {
      say "$tool: $PREBUILD_HOOK failed; last lines of $log:" >&2; tail -n 15 "$log" >&2; return 1; }
  fi

  local tmp="$TOOLS_DIR/.$tool.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp/bin"
  echo "== go build" >>"$log"
  (cd "$wrap" && "$GO_CMD" build -mod=mod -trimpath \
      -ldflags "-s -w $ldflags" -o "$tmp/bin/$binary" "$pkg") >>"$log" 2>&1 || {
    rm -rf "$tmp"; say "$tool: go build failed; last lines of $log:" >&2; tail -n 20 "$log" >&2; return 1; }
  printf '%s' "$tmp"
}

# Move a finished temporary tool dir into its final place (atomic rename on one file system).
install_dir() {
  local tmp=$1 dest=$2
  rm -rf "$dest.old.$$"
  [[ -e $dest ]] && mv -T "$dest" "$dest.old.$$"
  mv -T "$tmp" "$dest"
  rm -rf "$dest.old.$$"
}

fmt_secs() { local s=$1; printf '%dm%02ds' $((s / 60)) $((s % 60)); }
failed=0

# --- 1. Pulumi CLI ------------------------------------------------------------------------
setup_cli() {
  local tool="pulumi-$PULUMI_VERSION" dest="$TOOLS_DIR/pulumi-$PULUMI_VERSION" t0 tmp out
  if [[ -x $dest/bin/pulumi ]]; then
    say "pulumi $PULUMI_VERSION: cached ($dest/bin/pulumi)"
  else
    need_go; t0=$SECONDS
    say "pulumi $PULUMI_VERSION: building (cold) from $PULUMI_PKG@$PULUMI_VERSION ..."
    tmp=$(build_go_tool "$tool" "$dest" "$PULUMI_PKG" "$PULUMI_VERSION" "$PULUMI_PKG/cmd/pulumi" pulumi \
          "-X $PULUMI_VERSION_VAR=$PULUMI_VERSION" "$PULUMI_SDK=$PULUMI_VERSION" "$PULUMI_PKG=$PULUMI_VERSION") \
      || { say "pulumi $PULUMI_VERSION: FAILED (log: $LOG_DIR/$tool.log)"; return 1; }
    out=$(PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$tmp/home" "$tmp/bin/pulumi" version 2>&1) || true
    rm -rf "${tmp:?}/home"
    [[ $out == "$PULUMI_VERSION" ]] || { rm -rf "$tmp"; say "pulumi $PULUMI_VERSION: built binary reports '$out'"; return 1; }
    install_dir "$tmp" "$dest"
    say "pulumi $PULUMI_VERSION: built in $(fmt_secs $((SECONDS - t0)))"
  fi
  link "../tools/pulumi-$PULUMI_VERSION/bin/pulumi" pulumi
}

# --- 2. Python language host + exec shim --------------------------------------------------
setup_python_host() {
  local matched="$TOOLS_DIR/pulumi-language-python-$PULUMI_VERSION"
  local fallback="$TOOLS_DIR/pulumi-language-python-$PULUMI_PYTHON_HOST_FALLBACK_VERSION-exec-$PULUMI_VERSION"
  local dest="" t0 tmp sdkdir tool
  if [[ -x $matched/bin/pulumi-language-python && -f $matched/bin/pulumi-language-python-exec ]]; then
    dest=$matched; say "pulumi-language-python $PULUMI_VERSION: cached ($dest/bin)"
  elif [[ -x $fallback/bin/pulumi-language-python && -f $fallback/bin/pulumi-language-python-exec ]]; then
    dest=$fallback
    say "pulumi-language-python: cached fallback host $PULUMI_PYTHON_HOST_FALLBACK_VERSION + exec shim $PULUMI_VERSION ($dest/bin)"
  else
    need_go; t0=$SECONDS
    say "pulumi-language-python $PULUMI_VERSION: building (cold) from $PY_HOST_MOD@$PULUMI_LANGUAGE_PYTHON_MODVERSION ..."
    tool="pulumi-language-python-$PULUMI_VERSION"
    if tmp=$(build_go_tool "$tool" "$matched" "$PY_HOST_MOD" "$PULUMI_LANGUAGE_PYTHON_MODVERSION" "$PY_HOST_MOD" \
             pulumi-language-python "-X $PULUMI_VERSION_VAR=$PULUMI_VERSION" \
             "$PULUMI_SDK=$PULUMI_VERSION" "$PULUMI_PKG=$PULUMI_VERSION"); then
      dest=$matched
    else
      tool="pulumi-language-python-$PULUMI_PYTHON_HOST_FALLBACK_VERSION"
      say "pulumi-language-python: the host module of $PULUMI_VERSION is not available; building the host" \
          "that sdk/v3 $PULUMI_PYTHON_HOST_FALLBACK_VERSION carries instead (see docs/pulumi-engine.md)"
      tmp=$(build_go_tool "$tool" "$fallback" "$PULUMI_SDK" "$PULUMI_PYTHON_HOST_FALLBACK_VERSION" \
            "$PULUMI_SDK/python/cmd/pulumi-language-python" pulumi-language-python \
            "-X $PULUMI_VERSION_VAR=$PULUMI_PYTHON_HOST_FALLBACK_VERSION") \
        || { say "pulumi-language-python: FAILED (log: $LOG_DIR/$tool.log)"; return 1; }
      dest=$fallback
    fi
    # The host runs its Python side through pulumi-language-python-exec, which it expects beside
    # its own (symlink-resolved) executable. Take the one of PULUMI_VERSION from the sdk/v3 module.
    sdkdir=$(mod_dir "$PULUMI_SDK" "$PULUMI_VERSION" "$LOG_DIR/sdk.err") || true
    [[ -n $sdkdir && -f $sdkdir/python/cmd/pulumi-language-python-exec ]] \
      || { rm -rf "$tmp"; say "pulumi-language-python: no python/cmd/pulumi-language-python-exec in $PULUMI_SDK@$PULUMI_VERSION"; return 1; }
    install -m 0755 "$sdkdir/python/cmd/pulumi-language-python-exec" "$tmp/bin/pulumi-language-python-exec"
    printf 'host: %s\nexec shim: %s@%s python/cmd/pulumi-language-python-exec\n' \
      "$(if [[ $dest == "$matched" ]]; then echo "$PY_HOST_MOD@$PULUMI_LANGUAGE_PYTHON_MODVERSION"; \
         else echo "$PULUMI_SDK@$PULUMI_PYTHON_HOST_FALLBACK_VERSION python/cmd/pulumi-language-python"; fi)" \
      "$PULUMI_SDK" "$PULUMI_VERSION" >"$tmp/SOURCE"
    install_dir "$tmp" "$dest"
    say "pulumi-language-python: built in $(fmt_secs $((SECONDS - t0))) -> $dest"
  fi
  # The CLI looks for its bundled language hosts beside its own (resolved) executable and warns
  # "using pulumi-language-python from $PATH" when it finds one on PATH instead: so the host is
  # linked beside the CLI only, not into $BIN_DIR (the exec shim stays beside the host).
  rm -f "$BIN_DIR/pulumi-language-python" "$BIN_DIR/pulumi-language-python-exec"
  local clibin="$TOOLS_DIR/pulumi-$PULUMI_VERSION/bin"
  if [[ -d $clibin ]]; then
    ln -sfn "../../${dest##*/}/bin/pulumi-language-python" "$clibin/.pulumi-language-python.tmp.$$"
    mv -Tf "$clibin/.pulumi-language-python.tmp.$$" "$clibin/pulumi-language-python"
  fi
}

# --- 3. Kubernetes provider ---------------------------------------------------------------
# cmd/pulumi-resource-kubernetes go:embeds schema-embed.json and terraform-mapping-embed.json,
# which upstream's `go generate` (generate.go in that directory) writes from the module's
# schema.json / terraform-mapping.json with the release version stamped in. They are not in the
# module zip, and the module cache is read-only (and -overlay may not touch it), so: copy the
# verified module into the wrapper, replace the module with that copy, build upstream's
# generate.go against the provider's own dependencies and run it there with VERSION set.
k8s_generate_embeds() {
  local wrap=$1 moddir=$2 cmd=cmd/pulumi-resource-kubernetes
  [[ -s $moddir/$cmd/schema.json && -s $moddir/$cmd/terraform-mapping.json && -f $moddir/$cmd/generate.go ]] || {
    echo "$K8S_MOD@$PULUMI_KUBERNETES_PROVIDER_MODVERSION lacks $cmd/schema.json, terraform-mapping.json or generate.go"
    return 1; }
  rm -rf "$wrap/provider" "$wrap/gen"
  cp -R "$moddir" "$wrap/provider" && chmod -R u+w "$wrap/provider"
  printf 'replace %s => ./provider\n' "$K8S_MOD" >>"$wrap/go.mod"
  mkdir -p "$wrap/gen" && cp "$moddir/$cmd/generate.go" "$wrap/gen/generate.go"
  (cd "$wrap" && "$GO_CMD" build -mod=mod -o gen/generate ./gen/generate.go) || return 1
  (cd "$wrap/provider/$cmd" && VERSION=${PULUMI_KUBERNETES_VERSION#v} "$wrap/gen/generate") || return 1
  [[ -s $wrap/provider/$cmd/schema-embed.json && -s $wrap/provider/$cmd/terraform-mapping-embed.json ]] || return 1
  python3 - "$wrap/provider/$cmd/schema-embed.json" "${PULUMI_KUBERNETES_VERSION#v}" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
assert spec["name"] == "kubernetes" and spec["version"] == sys.argv[2], (spec.get("name"), spec.get("version"))
print(f"schema-embed.json: package {spec['name']} {spec['version']}, {len(spec['resources'])} resources")
PY
}

setup_k8s_provider() {
  local tool="pulumi-resource-kubernetes-$PULUMI_KUBERNETES_VERSION"
  local dest="$TOOLS_DIR/$tool" t0 tmp moddir
  if [[ -x $dest/bin/pulumi-resource-kubernetes ]]; then
    say "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION: cached ($dest/bin/pulumi-resource-kubernetes)"
  else
    need_go; t0=$SECONDS
    say "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION: building (cold) from $K8S_MOD@$PULUMI_KUBERNETES_PROVIDER_MODVERSION ..."
    tmp=$(PREBUILD_HOOK=k8s_generate_embeds build_go_tool "$tool" "$dest" "$K8S_MOD" "$PULUMI_KUBERNETES_PROVIDER_MODVERSION" \
          "$K8S_MOD/cmd/pulumi-resource-kubernetes" pulumi-resource-kubernetes \
          "-X $K8S_VERSION_VAR=${PULUMI_KUBERNETES_VERSION#v}" "$K8S_SDK=$PULUMI_KUBERNETES_VERSION") \
      || { say "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION: FAILED (log: $LOG_DIR/$tool.log)"; return 1; }
    grep '^schema-embed.json:' "$LOG_DIR/$tool.log" | sed 's/^/[setup] pulumi-resource-kubernetes: embedded /'
    local buildinfo; buildinfo=$("$GO_CMD" version -m "$tmp/bin/pulumi-resource-kubernetes")
    # (-trimpath keeps -ldflags out of the build info; the engine shows the stamped version.)
    [[ $buildinfo == *"$K8S_MOD"$'\t'"$PULUMI_KUBERNETES_PROVIDER_MODVERSION"* ]] \
      || { rm -rf "$tmp"; say "pulumi-resource-kubernetes: build info does not name $K8S_MOD $PULUMI_KUBERNETES_PROVIDER_MODVERSION"; return 1; }
    install_dir "$tmp" "$dest"
    say "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION: built in $(fmt_secs $((SECONDS - t0)))"
  fi
  link "../tools/$tool/bin/pulumi-resource-kubernetes" pulumi-resource-kubernetes
}

T0=$SECONDS
# One build at a time (the machine has two cores); go build itself uses both.
setup_cli || failed=1
setup_python_host || failed=1
setup_k8s_provider || failed=1

if ((failed)); then
  die "some Pulumi tools failed to build (logs in $LOG_DIR)" 1
fi
say "pulumi tools ready in $BIN_DIR ($(fmt_secs $((SECONDS - T0))) total); to run pulumi offline:"
print_env | sed 's/^/[setup]   /'
