#!/usr/bin/env bash
# Build the govcloud lab host image without any container registry (BLUEPRINT §4):
#
#   debootstrap --variant=minbase --include=<packages.txt> bookworm <rootfs> <apt's mirror>
#   … minimal setup inside the root file system …
#   tar -C rootfs -c . | docker import … - govcloud/labhost:<hash12>
#
# The tag is the first 12 hex digits of the recipe hash: sha256 over every file in this
# folder (package list, this script, config files) plus suite and architecture.  If that
# image already exists nothing is built.  The downloaded packages are kept as a debootstrap
# tarball in ${GOVCLOUD_CACHE:-/var/cache/govcloud}/images/labhost-debs-<pkghash12>.tgz
# (keyed by suite, variant, architecture and package names), so rebuilding the same package
# set (image deleted, config file edited, new docker host) needs no network at all.
#
# Usage: images/labhost/build.sh [--rebuild] [--output text|json] [--tag]
#   --tag          print the image tag for the current recipe and exit (builds nothing)
#   --rebuild      build and import again even if the image exists (the package tarball
#                  is reused; delete it from the cache to download afresh)
#   --output json  machine-readable result on stdout; progress always goes to stderr
# Environment: GOVCLOUD_CACHE, GOVCLOUD_DEBIAN_MIRROR (default: the Debian mirror apt uses
# here), GOVCLOUD_DOCKER (docker client; default /usr/bin/docker, Debian's, matching dockerd).
# Exit codes: 0 ok, 1 build failed, 2 usage or environment error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE=bookworm
VARIANT=minbase
REPO=govcloud/labhost
CACHE_DIR="${GOVCLOUD_CACHE:-/var/cache/govcloud}/images"

output=text rebuild=0 tag_only=0
while (($#)); do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --tag) tag_only=1 ;;
    --output) [[ $# -ge 2 ]] || { echo "build.sh: --output needs text or json" >&2; exit 2; }; output="$2"; shift ;;
    --output=*) output="${1#--output=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $output == text || $output == json ]] || { echo "build.sh: --output must be text or json" >&2; exit 2; }

T0="$(date +%s.%N)"
say() { printf '[labhost] %s\n' "$*" >&2; }
die() { printf '[labhost] error: %s\n' "$1" >&2; exit "${2:-1}"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# --- recipe and tag -----------------------------------------------------------------------
ARCH="$(dpkg --print-architecture)"
recipe_hash() {
  (
    cd "$HERE"
    printf 'suite=%s variant=%s arch=%s\n' "$SUITE" "$VARIANT" "$ARCH"
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  ) | sha256sum | cut -d' ' -f1
}
HASH="$(recipe_hash)"
H12="${HASH:0:12}"
TAG="$REPO:$H12"
if ((tag_only)); then
  if [[ $output == json ]]; then printf '{"image": "%s", "recipe_hash": "%s"}\n' "$TAG" "$HASH"; else echo "$TAG"; fi
  exit 0
fi

result() {  # result <cached 0|1>
  local id; id="$("$DOCKER" image inspect --format '{{.Id}}' "$TAG")"
  if [[ $output == json ]]; then
    printf '{"cached": %s, "id": "%s", "image": "%s", "latest": "%s:latest", "recipe_hash": "%s", "seconds": %s}\n' \
      "$([[ $1 == 1 ]] && echo true || echo false)" "$id" "$TAG" "$REPO" "$HASH" "$(elapsed "$T0")"
  else
    echo "$TAG"
  fi
}

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap, chroot)" 2
DOCKER="${GOVCLOUD_DOCKER:-/usr/bin/docker}"
[[ -x $DOCKER ]] || DOCKER="$(command -v docker || true)"
[[ -n $DOCKER ]] || die "no docker client; run scripts/setup-docker.sh first" 2
timeout 10 "$DOCKER" info >/dev/null 2>&1 || die "docker engine not answering; run scripts/setup-docker.sh first" 2

image_exists() { "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; }
tag_latest() {
  if [[ "$("$DOCKER" image inspect --format '{{.Id}}' "$REPO:latest" 2>/dev/null || true)" != \
        "$("$DOCKER" image inspect --format '{{.Id}}' "$TAG")" ]]; then
    "$DOCKER" tag "$TAG" "$REPO:latest"
    say "tagged $REPO:latest -> $TAG"
  fi
}

say "recipe $H12 (suite $SUITE, $ARCH, $(grep -c . <(sed 's/#.*//; /^[[:space:]]*$/d' "$HERE/packages.txt")) packages)"
if ((!rebuild)) && image_exists; then
  tag_latest
  say "image $TAG exists: cached, nothing to build ($(elapsed "$T0")s)"
  result 1
  exit 0
fi

command -v debootstrap >/dev/null || die "debootstrap missing; run scripts/setup-docker.sh first" 2
mkdir -p "$CACHE_DIR"
# One build per cache at a time; a second caller waits and then finds the image cached.
exec 9>"$CACHE_DIR/labhost.lock"
if ! flock -n 9; then
  say "another build holds $CACHE_DIR/labhost.lock; waiting"
  flock 9
fi
if ((!rebuild)) && image_exists; then
  tag_latest; say "image $TAG was built meanwhile: cached"; result 1; exit 0
fi

# --- mirror: the Debian mirror apt already uses on this machine ---------------------------
MIRROR="${GOVCLOUD_DEBIAN_MIRROR:-$(python3 "$HERE/../../scripts/lib/debian-mirror.py" "$SUITE" || true)}"
[[ -n $MIRROR ]] || die "no apt source for '$SUITE main' in /etc/apt/sources.list*; set GOVCLOUD_DEBIAN_MIRROR" 2
PKGS="$(sed 's/#.*//' "$HERE/packages.txt" | awk 'NF{print $1}' | LC_ALL=C sort -u | paste -sd, -)"

# --- temporary build folder, removed on any exit ------------------------------------------
WORK="$(mktemp -d "$CACHE_DIR/.labhost-build.XXXXXX")"
TMP_TAG="$REPO:building-$H12-$$"
cleanup() {
  local rc=$? m
  if [[ -n ${STEP_PID:-} ]] && kill -0 "$STEP_PID" 2>/dev/null; then
    kill -TERM -- "-$STEP_PID" 2>/dev/null || true  # the step's whole process group (dpkg too)
    wait "$STEP_PID" 2>/dev/null || true
  fi
  # Unmount anything debootstrap left mounted inside (proc, sys) before deleting, deepest first.
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(
    awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r)
  if awk -v w="$WORK/" 'index($2, w) == 1 {found=1} END{exit !found}' /proc/self/mounts; then
    say "warning: mounts remain under $WORK; not deleting it"
  else
    rm -rf --one-file-system "$WORK"
  fi
  "$DOCKER" image rm "$TMP_TAG" >/dev/null 2>&1 || true
  ((rc == 0)) || say "build failed (exit $rc) after $(elapsed "$T0")s; nothing was tagged; log: $CACHE_DIR/labhost-$H12.log"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
LOG="$CACHE_DIR/labhost-$H12.log"
: >"$LOG"
STEP_PID=""
run_logged() {  # run a long step in its own process group, output in $LOG; tail it on failure
  setsid "$@" >>"$LOG" 2>&1 </dev/null &
  STEP_PID=$!
  local rc=0
  wait "$STEP_PID" || rc=$?  # 'wait' returns at once on a signal, so traps run promptly
  STEP_PID=""
  if ((rc)); then
    say "step failed (exit $rc): $*"; tail -n 25 "$LOG" | sed 's/^/[labhost]   /' >&2; return 1
  fi
}

# --- 1. packages: debootstrap tarball, cached by recipe hash ------------------------------
# Keyed by the package set alone (suite, variant, architecture, package names), so editing a
# config file or this script rebuilds the image without downloading the packages again.
PKG_HASH="$(printf 'suite=%s variant=%s arch=%s packages=%s\n' "$SUITE" "$VARIANT" "$ARCH" "$PKGS" | sha256sum | cut -c1-12)"
DEBS="$CACHE_DIR/labhost-debs-$PKG_HASH.tgz"
if [[ -s $DEBS ]]; then
  say "1/4 packages: cached $DEBS ($(du -h "$DEBS" | cut -f1))"
else
  t="$(date +%s.%N)"
  say "1/4 packages: downloading from $MIRROR into a debootstrap tarball (log: $LOG)"
  run_logged debootstrap --variant="$VARIANT" --include="$PKGS" --make-tarball="$WORK/debs.tgz" \
    "$SUITE" "$WORK/download" "$MIRROR"
  mv -f "$WORK/debs.tgz" "$DEBS"
  rm -rf --one-file-system "$WORK/download"
  say "1/4 packages: $(du -h "$DEBS" | cut -f1) in $(elapsed "$t")s"
fi

# --- 2. root file system ------------------------------------------------------------------
ROOTFS="$WORK/rootfs"
t="$(date +%s.%N)"
say "2/4 rootfs: debootstrap first stage (offline, from the tarball)"
run_logged debootstrap --variant="$VARIANT" --include="$PKGS" --foreign --unpack-tarball="$DEBS" \
  "$SUITE" "$ROOTFS" "$MIRROR"
# (The second stage installs its own policy-rc.d while it configures packages, so no
# maintainer script starts a daemon in the chroot; it removes it again at the end.)
say "2/4 rootfs: debootstrap second stage (configuring packages in a chroot)"
run_logged chroot "$ROOTFS" /debootstrap/debootstrap --second-stage
say "2/4 rootfs: done in $(elapsed "$t")s"

# --- 3. minimal setup inside the root file system -----------------------------------------
t="$(date +%s.%N)"
say "3/4 setup: sshd, PostgreSQL, cleanup"
# PostgreSQL: postinst created a 'main' cluster; drop it so the playbook creates its own with
# pg_createcluster and runs it with pg_ctlcluster (there is no systemd in the container).
# shellcheck disable=SC2016  # expanded by the shell inside the chroot
chroot "$ROOTFS" sh -ec '
  pg_lsclusters -h | while read -r ver name _; do pg_dropcluster "$ver" "$name"; done
  sed -i "s/^#\{0,1\}[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/" \
    /etc/postgresql-common/createcluster.conf
  grep -qx "create_main_cluster = false" /etc/postgresql-common/createcluster.conf
  test -z "$(pg_lsclusters -h)"
' >>"$LOG" 2>&1 || die "could not remove the default PostgreSQL cluster (see $LOG)"
# dpkg/apt inside a container never start daemons either (Ansible installs run there).
printf '#!/bin/sh\n# govcloud labhost: services are started by the lab, not by dpkg\nexit 101\n' \
  >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"
# chrony: no internet NTP pool (lab traffic stays on the machine); the playbook points it at
# the lab's own time source.  chronyd is not started by the image.
sed -i 's/^\(pool\|server\) /#&/' "$ROOTFS/etc/chrony/chrony.conf"
# SSH: no host keys in the image (each container makes its own at start), key-only logins.
rm -f "$ROOTFS"/etc/ssh/ssh_host_*
install -m 0644 "$HERE/sshd_config.conf" "$ROOTFS/etc/ssh/sshd_config.d/govcloud-labhost.conf"
install -m 0755 "$HERE/labhost-start" "$ROOTFS/usr/local/sbin/labhost-start"
install -d -m 0755 "$ROOTFS/run/sshd"
install -d -m 0700 "$ROOTFS/root/.ssh"
# Service hooks labhost-start runs at container start and stop (etcd, Patroni, HAProxy).
install -d -m 0755 "$ROOTFS/etc/labhost/start.d" "$ROOTFS/etc/labhost/stop.d"
# Host identity comes from docker at run time.
echo labhost >"$ROOTFS/etc/hostname"
rm -f "$ROOTFS/etc/resolv.conf"
: >"$ROOTFS/etc/resolv.conf"
# Shrink: no documentation, manual pages or message translations, now or on later installs
# (copyright files stay).
install -m 0644 /dev/stdin "$ROOTFS/etc/dpkg/dpkg.cfg.d/govcloud-labhost-nodoc" <<'EOF'
# govcloud labhost: keep the image small
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*
find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
# Shrink: apt lists and downloaded .debs are not needed in the image.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
  "$ROOTFS"/var/log/bootstrap.log "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old
mkdir -p "$ROOTFS/var/lib/apt/lists/partial"
printf 'recipe=%s\nsuite=%s\narch=%s\nmirror=%s\n' "$HASH" "$SUITE" "$ARCH" "$MIRROR" >"$ROOTFS/etc/govcloud-labhost"
say "3/4 setup: done in $(elapsed "$t")s ($(du -sh --one-file-system "$ROOTFS" | cut -f1) root file system)"

# --- 4. import into docker under a temporary tag, smoke-test, then the real tags ----------
t="$(date +%s.%N)"
say "4/4 import: docker import -> $TAG"
tar -C "$ROOTFS" --numeric-owner --xattrs --xattrs-include='security.capability' \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . |
  "$DOCKER" import \
    --change 'ENTRYPOINT ["/usr/bin/tini", "--"]' \
    --change 'CMD ["/usr/local/sbin/labhost-start"]' \
    --change 'EXPOSE 22' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL org.opencontainers.image.title=govcloud-labhost io.govcloud.recipe=$HASH io.govcloud.suite=$SUITE" \
    --message "govcloud labhost recipe $H12: debootstrap $VARIANT $SUITE from $MIRROR" \
    - "$TMP_TAG" >/dev/null
# shellcheck disable=SC2016  # expanded by the shell inside the container
"$DOCKER" run --rm --network none --entrypoint /bin/sh "$TMP_TAG" -ec \
  'ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key; mkdir -p /run/sshd; /usr/sbin/sshd -t; python3 --version; test -z "$(pg_lsclusters -h)"; patroni --version; etcd --version; haproxy -v' \
  >>"$LOG" 2>&1 || die "smoke test of the imported image failed (see $LOG)"
old_id="$("$DOCKER" image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
"$DOCKER" tag "$TMP_TAG" "$TAG"
"$DOCKER" image rm "$TMP_TAG" >/dev/null
if [[ -n $old_id ]] && [[ -z "$("$DOCKER" image inspect --format '{{join .RepoTags ","}}' "$old_id" 2>/dev/null || echo x)" ]]; then
  # --rebuild: the previous image of this recipe lost its tags; drop it unless a container uses it.
  if "$DOCKER" image rm "$old_id" >/dev/null 2>&1; then
    say "removed the previous, now untagged image ${old_id:7:12}"
  fi
fi
tag_latest
say "4/4 import: done in $(elapsed "$t")s ($("$DOCKER" image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
say "built $TAG in $(elapsed "$T0")s"
result 0
