#!/usr/bin/env bash
# Build govcloud's kind node image with no container registry: the air-gapped path (docs/kind.md).
#
#   1. base    debootstrap bookworm (packages.txt) + kind's own node files (entrypoint, systemd
#              units, from the kind Go module) + containerd.toml -> govcloud/kind-base:<recipe12>
#   2. images  every image a node runs, built here and tagged as kubeadm and kind ask for them:
#              kube-apiserver, -controller-manager, -scheduler, -proxy, etcd, CoreDNS, pause
#              (compiled from Kubernetes' pause.c), kube-router (pod network and NetworkPolicy),
#              and the lab's workload images govcloud/lab-service and govcloud/lab-backup
#   3. node    the base + kubelet/kubeadm/kubectl, every image of step 2 imported into the node's
#              containerd (what `kind build node-image` does, minus its registry pulls)
#              -> govcloud/kind-node:<k8s version>-<recipe12>
#
# The recipe hash covers this folder, tools/versions.env, the kind module's node files and the
# sha256 of every binary put in: the same inputs give the same tag, and an existing tag is not
# rebuilt. Binaries come from scripts/setup-k8s-tools.sh --with-kind-node (run first).
# Downloaded .debs are kept in $GOVCLOUD_CACHE/images/kind-node-debs-<hash12>.tgz.
#
# Usage: images/kind-node/build.sh [--tag] [--rebuild]
#   --tag      print the node image tag of the current recipe and exit (builds nothing)
#   --rebuild  build again even if the tag exists
# Prints the node image tag on stdout; progress on stderr. Run as root, with dockerd running
# with the runc-nosysres runtime (scripts/setup-docker.sh), since step 3 runs a privileged
# container. Exit codes: 0 ok, 1 build failed, 2 usage or environment error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SETUP_PREFIX='[kind-node]'
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/common.sh
. "$HERE/../../scripts/lib/common.sh"

tag_only=0 rebuild=0
for arg in "$@"; do
  case "$arg" in
    --tag) tag_only=1 ;;
    --rebuild) rebuild=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

SUITE=bookworm
KUBERNETES_VERSION=$(pinned KUBERNETES_VERSION)
KIND_VERSION=$(pinned KIND_VERSION)
COREDNS_VERSION=$(pinned COREDNS_VERSION)
KUBE_ROUTER_VERSION=$(pinned KUBE_ROUTER_VERSION)
DOCKER="${GOVCLOUD_DOCKER:-/usr/bin/docker}"
IMAGES_DIR="$CACHE/images"
# Tags kubeadm v1.37 asks for (cmd/kubeadm/app/constants: DefaultEtcdVersion, PauseVersion) and
# the sandbox image of containerd.toml.
ETCD_TAG=3.7.0-0
PAUSE_TAGS=(3.10 3.10.2)
# The lab's workload images (the topology's lab.*_image defaults). Bump with lab-service/.
LAB_SERVICE_IMAGE=govcloud/lab-service:1.0
LAB_BACKUP_IMAGE=govcloud/lab-backup:1.0

NODE_BINS=(kubelet kubeadm kubectl)
IMAGE_BINS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns kube-router)
for b in "${NODE_BINS[@]}" "${IMAGE_BINS[@]}" crictl; do
  [[ -x $BIN_DIR/$b ]] || die "$BIN_DIR/$b missing: run scripts/setup-k8s-tools.sh --with-kind-node first"
done

# kind's node files (entrypoint, systemd units, crictl.yaml) ship in its Go module.
kind_files() {
  local dir
  need_go
  dir=$(cd "$SRC_DIR" && GOFLAGS=-mod=mod "$GO_CMD" mod download -json "sigs.k8s.io/kind@$KIND_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -d $dir/images/base/files ]] || die "no images/base/files in sigs.k8s.io/kind@$KIND_VERSION ($dir)" 1
  printf '%s/images/base/files' "$dir"
}
KIND_FILES=$(kind_files)

recipe_hash() {
  {
    printf 'suite=%s k8s=%s kind=%s\n' "$SUITE" "$KUBERNETES_VERSION" "$KIND_VERSION"
    (cd "$HERE" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    (cd "$KIND_FILES" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    sha256sum "$VERSIONS_FILE" | cut -d' ' -f1
    for b in "${NODE_BINS[@]}" "${IMAGE_BINS[@]}" crictl; do sha256sum "$(readlink -f "$BIN_DIR/$b")" | cut -d' ' -f1; done
  } | sha256sum | cut -c1-12
}
H12=$(recipe_hash)
NODE_TAG="govcloud/kind-node:$KUBERNETES_VERSION-$H12"
BASE_TAG="govcloud/kind-base:$H12"
if ((tag_only)); then echo "$NODE_TAG"; exit 0; fi

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap, chroot)"
timeout 10 "$DOCKER" info >/dev/null 2>&1 || die "docker engine not answering; run scripts/setup-docker.sh first"
exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
mkdir -p "$IMAGES_DIR"
exec 8>"$IMAGES_DIR/kind-node.lock"
flock -n 8 || { say "another build holds $IMAGES_DIR/kind-node.lock; waiting"; flock 8; }
if ((!rebuild)) && exists "$NODE_TAG"; then
  say "$NODE_TAG exists: cached"
  echo "$NODE_TAG"
  exit 0
fi

T0=$SECONDS
WORK=$(mktemp -d "$IMAGES_DIR/.kind-node-build.XXXXXX")
LOG="$LOG_DIR/kind-node-$H12.log"
: >"$LOG"
BUILDER=""
cleanup() {
  local rc=$? m
  [[ -n $BUILDER ]] && "$DOCKER" rm -f "$BUILDER" >/dev/null 2>&1
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(
    awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$WORK"
  ((rc == 0)) || say "build failed (exit $rc) after $((SECONDS - T0))s; nothing was tagged $NODE_TAG; log: $LOG"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
logged() {  # a step's output goes to the log; its tail to the terminal if it fails
  if ! "$@" >>"$LOG" 2>&1; then
    say "step failed: $*"; tail -n 25 "$LOG" | sed 's/^/    /' >&2; return 1
  fi
}

# --- 1. base ------------------------------------------------------------------------------
build_base() {
  local mirror pkgs pkg_hash debs rootfs="$WORK/rootfs"
  mirror="${GOVCLOUD_DEBIAN_MIRROR:-$(python3 "$HERE/../../scripts/lib/debian-mirror.py" "$SUITE" || true)}"
  [[ -n $mirror ]] || die "no apt source for '$SUITE main'; set GOVCLOUD_DEBIAN_MIRROR"
  pkgs=$(sed 's/#.*//' "$HERE/packages.txt" | awk 'NF{print $1}' | LC_ALL=C sort -u | paste -sd, -)
  pkg_hash=$(printf '%s %s %s\n' "$SUITE" "$(dpkg --print-architecture)" "$pkgs" | sha256sum | cut -c1-12)
  debs="$IMAGES_DIR/kind-node-debs-$pkg_hash.tgz"
  if [[ ! -s $debs ]]; then
    say "1/3 base: downloading packages from $mirror"
    logged debootstrap --variant=minbase --include="$pkgs" --make-tarball="$WORK/debs.tgz" "$SUITE" "$WORK/dl" "$mirror"
    mv -f "$WORK/debs.tgz" "$debs"
    rm -rf --one-file-system "$WORK/dl"
  fi
  say "1/3 base: debootstrap $SUITE from $(basename "$debs")"
  logged debootstrap --variant=minbase --include="$pkgs" --foreign --unpack-tarball="$debs" "$SUITE" "$rootfs" "$mirror"
  logged chroot "$rootfs" /debootstrap/debootstrap --second-stage
  # kind's base image steps (kind images/base/Dockerfile), on Debian's containerd.
  cp -r --no-preserve=ownership "$KIND_FILES/." "$WORK/kindfiles"
  install -m 0755 "$WORK"/kindfiles/usr/local/bin/* "$rootfs/usr/local/bin/"
  mkdir -p "$rootfs/kind" "$rootfs/etc/systemd/system/kubelet.service.d" "$rootfs/etc/kubernetes/manifests"
  cp -r "$WORK/kindfiles/kind/." "$rootfs/kind/"
  chmod 0755 "$rootfs/kind" "$rootfs/kind/bin" "$rootfs"/kind/bin/*
  install -m 0644 "$WORK/kindfiles/etc/crictl.yaml" "$rootfs/etc/crictl.yaml"
  install -m 0644 "$WORK"/kindfiles/etc/default/* "$rootfs/etc/default/"
  install -m 0644 "$WORK"/kindfiles/etc/sysctl.d/* "$rootfs/etc/sysctl.d/"
  install -m 0644 "$WORK"/kindfiles/etc/systemd/system/*.service "$WORK"/kindfiles/etc/systemd/system/*.slice \
    "$rootfs/etc/systemd/system/"
  rm -f "$rootfs/etc/systemd/system/containerd-fuse-overlayfs.service"
  install -m 0644 "$WORK"/kindfiles/etc/systemd/system/kubelet.service.d/* "$rootfs/etc/systemd/system/kubelet.service.d/"
  install -m 0644 "$HERE/containerd.toml" "$rootfs/etc/containerd/config.toml"
  # kind's containerd.service starts /usr/local/bin/containerd; Debian's is in /usr/bin.
  ln -sf /usr/bin/containerd "$rootfs/usr/local/bin/containerd"
  install -m 0755 "$BIN_DIR/crictl" "$rootfs/usr/local/bin/crictl"
  # CNI plugins where kubelet and containerd look for them.
  mkdir -p "$rootfs/opt/cni" && ln -sfn /usr/lib/cni "$rootfs/opt/cni/bin"
  # shellcheck disable=SC2016  # expanded inside the chroot
  logged chroot "$rootfs" sh -euc '
    find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
    rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
      /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
      /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
    echo ReadKMsg=no >>/etc/systemd/journald.conf
    ln -sf /lib/systemd/systemd /sbin/init
    systemctl enable kubelet.service containerd.service undo-mount-hacks.service
    systemctl mask systemd-binfmt.service
    ctr oci spec | jq ".hooks.createContainer[.hooks.createContainer|length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" \
      | jq "del(.process.rlimits)" >/etc/containerd/cri-base.json
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/*
    : >/etc/resolv.conf
  '
  say "1/3 base: docker import -> $BASE_TAG"
  tar -C "$rootfs" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . |
    logged "$DOCKER" import --change 'ENV container=docker' \
      --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
      --message "govcloud kind node base $H12" - "$BASE_TAG"
  rm -rf --one-file-system "$rootfs" "$WORK/kindfiles"
}

# --- 2. images ----------------------------------------------------------------------------
# A one-binary image: FROM scratch, the binary in /usr/local/bin, docker import --change ...
scratch_image() {  # scratch_image TAG BINARY [--change ...]
  local tag=$1 bin=$2; shift 2
  local d="$WORK/img-${bin##*/}"
  mkdir -p "$d/usr/local/bin" "$d/tmp"
  chmod 1777 "$d/tmp"
  install -m 0755 "$(readlink -f "$BIN_DIR/$bin")" "$d/usr/local/bin/$bin"
  tar -C "$d" --numeric-owner --owner=0 --group=0 -cf - . |
    logged "$DOCKER" import --change 'ENV PATH=/usr/local/bin' "$@" - "$tag"
  rm -rf "$d"
}
# An image on the node base (iptables, ipset, conntrack): kube-proxy and kube-router.
base_image() {  # base_image TAG BINARY ENTRYPOINT-JSON
  local tag=$1 bin=$2 entry=$3 d="$WORK/ctx-$2"
  mkdir -p "$d"
  install -m 0755 "$(readlink -f "$BIN_DIR/$bin")" "$d/$bin"
  printf 'FROM %s\nCOPY %s /usr/local/bin/%s\nENTRYPOINT %s\n' "$BASE_TAG" "$bin" "$bin" "$entry" >"$d/Dockerfile"
  DOCKER_BUILDKIT=0 logged "$DOCKER" build -q -t "$tag" "$d"
  rm -rf "$d"
}
build_images() {
  local k=registry.k8s.io d
  say "2/3 images: control plane, etcd, CoreDNS, pause, kube-proxy, kube-router, lab workloads"
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    scratch_image "$k/$b:$KUBERNETES_VERSION" "$b"
  done
  scratch_image "$k/etcd:$ETCD_TAG" etcd
  scratch_image "$k/coredns/coredns:$COREDNS_VERSION" coredns --change 'ENTRYPOINT ["/usr/local/bin/coredns"]'
  base_image "$k/kube-proxy:$KUBERNETES_VERSION" kube-proxy '["/usr/local/bin/kube-proxy"]'
  base_image "govcloud/kube-router:$KUBE_ROUTER_VERSION" kube-router '["/usr/local/bin/kube-router"]'
  # pause, as Kubernetes builds it (build/pause/Makefile: a static C binary, user 65535).
  need_go
  local kdir
  kdir=$(cd "$SRC_DIR" && GOFLAGS=-mod=mod "$GO_CMD" mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  d="$WORK/img-pause"
  mkdir -p "$d"
  logged gcc -Os -Wall -Werror -static -DVERSION="v${PAUSE_TAGS[0]}-govcloud" -o "$d/pause" "$kdir/build/pause/linux/pause.c"
  tar -C "$d" --numeric-owner --owner=0 --group=0 -cf - pause |
    logged "$DOCKER" import --change 'USER 65535:65535' --change 'ENTRYPOINT ["/pause"]' - "$k/pause:${PAUSE_TAGS[0]}"
  for t in "${PAUSE_TAGS[@]:1}"; do "$DOCKER" tag "$k/pause:${PAUSE_TAGS[0]}" "$k/pause:$t"; done
  # The lab's workloads: busybox (static, from the base) and a script each.
  d="$WORK/img-lab"
  mkdir -p "$d/bin" "$d/lab" "$d/tmp"
  chmod 1777 "$d/tmp"
  "$DOCKER" run --rm --entrypoint /bin/cat "$BASE_TAG" /bin/busybox >"$d/bin/busybox"
  chmod 0755 "$d/bin/busybox"
  # every applet as a link (testinfra's modules call ps, netstat, stat, readlink ... in the pods)
  "$d/bin/busybox" --list | while read -r a; do [ -e "$d/bin/$a" ] || ln -s busybox "$d/bin/$a"; done
  install -m 0755 "$HERE/lab-service/serve" "$HERE/lab-service/backup" "$d/lab/"
  tar -C "$d" --numeric-owner --owner=0 --group=0 -cf - . |
    logged "$DOCKER" import --change 'ENV PATH=/bin' --change 'USER 65532:65532' \
      --change 'ENTRYPOINT ["/lab/serve"]' - "$LAB_SERVICE_IMAGE"
  tar -C "$d" --numeric-owner --owner=0 --group=0 -cf - . |
    logged "$DOCKER" import --change 'ENV PATH=/bin' --change 'USER 65532:65532' \
      --change 'ENTRYPOINT ["/lab/backup"]' - "$LAB_BACKUP_IMAGE"
  rm -rf "$d"
}
node_images() {
  printf '%s\n' registry.k8s.io/{kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy}:"$KUBERNETES_VERSION" \
    "registry.k8s.io/etcd:$ETCD_TAG" "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" \
    "govcloud/kube-router:$KUBE_ROUTER_VERSION" "$LAB_SERVICE_IMAGE" "$LAB_BACKUP_IMAGE"
  printf 'registry.k8s.io/pause:%s\n' "${PAUSE_TAGS[@]}"
}

# --- 3. node ------------------------------------------------------------------------------
build_node() {
  local tmp_tag="govcloud/kind-node:building-$H12-$$"
  say "3/3 node: kubelet, kubeadm, kubectl and $(node_images | wc -l) images into the base's containerd"
  BUILDER=$("$DOCKER" run -d --privileged --entrypoint sleep "$BASE_TAG" infinity)
  for b in "${NODE_BINS[@]}"; do logged "$DOCKER" cp "$(readlink -f "$BIN_DIR/$b")" "$BUILDER:/usr/bin/$b"; done
  "$DOCKER" exec "$BUILDER" sh -c "echo $KUBERNETES_VERSION >/kind/version"
  "$DOCKER" exec -d "$BUILDER" sh -c 'containerd >/var/log/containerd-build.log 2>&1'
  # shellcheck disable=SC2016  # expanded by the container's shell
  logged "$DOCKER" exec "$BUILDER" sh -c 'for i in $(seq 50); do ctr version >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1'
  mapfile -t imgs < <(node_images)
  "$DOCKER" save "${imgs[@]}" |
    logged "$DOCKER" exec -i "$BUILDER" ctr --namespace=k8s.io images import --all-platforms --no-unpack --digests -
  logged "$DOCKER" exec "$BUILDER" sh -c 'pkill containerd; while pgrep -x containerd >/dev/null; do sleep 0.2; done; rm -f /var/log/containerd-build.log'
  logged "$DOCKER" commit "$BUILDER" "$tmp_tag"
  "$DOCKER" rm -f "$BUILDER" >/dev/null
  BUILDER=""
  # commit/import take no STOPSIGNAL: a one-line build sets it (systemd stops on SIGRTMIN+3).
  local d="$WORK/ctx-node"
  mkdir -p "$d"
  printf 'FROM %s
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
CMD []
' \
    "$tmp_tag" >"$d/Dockerfile"
  DOCKER_BUILDKIT=0 logged "$DOCKER" build -q -t "$NODE_TAG" "$d"
  "$DOCKER" image rm "$tmp_tag" >/dev/null
}

say "recipe $H12: Kubernetes $KUBERNETES_VERSION, kind $KIND_VERSION, Debian $SUITE (log: $LOG)"
if ((rebuild)) || ! exists "$BASE_TAG"; then build_base; else say "1/3 base: $BASE_TAG cached"; fi
build_images
build_node
say "built $NODE_TAG in $((SECONDS - T0))s ($("$DOCKER" image inspect --format '{{.Size}}' "$NODE_TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$NODE_TAG"
