#!/usr/bin/env bash
# Install and start the Docker engine govcloud's lab uses (BLUEPRINT §4).
#
# - installs Debian's docker.io, debootstrap and iproute2 (`ip`, used by the lab and the tests'
#   network namespaces) with apt-get if they are missing;
# - writes /etc/docker/daemon.json so the default bridge and every network docker picks on
#   its own stay inside GOVCLOUD_DOCKER_RANGE (default 172.30.0.0/15) and never collide with
#   a route this host already has;
# - installs images/kind-node/runc-nosysres as dockerd's default runtime: runc minus
#   CAP_SYS_RESOURCE, which this VM lacks, so `docker run --privileged` (kind's nodes) works
#   (docs/kind.md);
# - starts dockerd (systemd if it is PID 1, otherwise in the background with its log in
#   /var/log/govcloud-dockerd.log) and waits until `docker info` answers.
#
# Idempotent: a second run changes nothing and returns in well under a second.
# Run as root.  Exit codes: 0 ok, 1 engine failed to start, 2 usage / environment error.
#
# Environment:
#   GOVCLOUD_DOCKER_BIP       default bridge address        (default 172.30.0.1/24)
#   GOVCLOUD_DOCKER_POOL      pool for docker-chosen nets   (default 172.31.0.0/16, /24 each)
#   GOVCLOUD_DOCKERD_TIMEOUT  seconds to wait for dockerd   (default 60)
set -euo pipefail

BIP="${GOVCLOUD_DOCKER_BIP:-172.30.0.1/24}"
POOL="${GOVCLOUD_DOCKER_POOL:-172.31.0.0/16}"
POOL_SIZE=24
TIMEOUT="${GOVCLOUD_DOCKERD_TIMEOUT:-60}"
DAEMON_JSON=/etc/docker/daemon.json
DOCKERD_LOG=/var/log/govcloud-dockerd.log
DOCKERD_PIDFILE=/var/run/docker.pid
# Debian's client, which matches Debian's engine.  A newer client earlier in PATH (for
# example /usr/local/bin/docker) also works as long as it negotiates the engine's API
# version; we check that below and say so if it does not.
DOCKER=/usr/bin/docker

SETUP_PREFIX='[setup] docker:'
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[[ $EUID -eq 0 ]] || die "must run as root (installs packages and starts dockerd)"

# --- 1. packages ------------------------------------------------------------------------
missing=()
for pkg in docker.io debootstrap iproute2; do
  if ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  say "installing ${missing[*]} from Debian (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # No recommends: apparmor/cgroupfs-mount/git/needrestart are not needed here.
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  say "docker.io, debootstrap and iproute2 already installed"
fi
# --- 1b. the runtime wrapper dockerd runs containers with --------------------------------
RUNC_WRAPPER=/usr/local/sbin/runc-nosysres
wrapper_src="$(dirname "${BASH_SOURCE[0]}")/../images/kind-node/runc-nosysres"
if ! cmp -s "$wrapper_src" "$RUNC_WRAPPER"; then
  install -m 0755 "$wrapper_src" "$RUNC_WRAPPER.new"
  mv -f "$RUNC_WRAPPER.new" "$RUNC_WRAPPER"
  say "installed $RUNC_WRAPPER (runc minus CAP_SYS_RESOURCE, for --privileged)"
fi
say "engine package $(dpkg-query -W -f='${Version}' docker.io), debootstrap $(dpkg-query -W -f='${Version}' debootstrap)"
[[ -x $DOCKER ]] || die "$DOCKER missing after installing docker.io"

# --- 2. address plan: refuse a range that collides with a route this host already has ---
python3 - "$BIP" "$POOL" <<'PY' || die "docker address plan rejected (see above); set GOVCLOUD_DOCKER_BIP / GOVCLOUD_DOCKER_POOL to a free private range"
import ipaddress, subprocess, sys
want = [ipaddress.ip_interface(sys.argv[1]).network, ipaddress.ip_network(sys.argv[2])]
for w in want:
    if not w.is_private:
        sys.exit(f"[setup] docker: error: {w} is not a private range")
routes = subprocess.run(["ip", "-4", "route", "show", "table", "all"], capture_output=True, text=True, check=True).stdout
bad = []
for line in routes.splitlines():
    f = line.split()
    if not f:
        continue
    dst = f[1] if f[0] in ("local", "broadcast", "unicast") else f[0]
    if dst == "default" or any(x == "docker0" or x.startswith("br-") for x in f):
        continue  # docker's own bridges may already exist from an earlier run
    try:
        net = ipaddress.ip_network(dst, strict=False)
    except ValueError:
        continue
    if net.is_loopback:
        continue
    for w in want:
        if net.overlaps(w):
            bad.append(f"{w} overlaps host route '{line.strip()}'")
for b in bad:
    print(f"[setup] docker: error: {b}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
say "address plan: docker0 $BIP, other networks from $POOL (/$POOL_SIZE each); no host route overlaps"

want_json="$(python3 - "$BIP" "$POOL" "$POOL_SIZE" "$RUNC_WRAPPER" <<'PY'
import json, sys
print(json.dumps({
    "bip": sys.argv[1],
    "default-runtime": "nosysres",
    "runtimes": {"nosysres": {"path": sys.argv[4]}},
    "default-address-pools": [{"base": sys.argv[2], "size": int(sys.argv[3])}],
    "log-driver": "json-file",
    "log-opts": {"max-size": "10m", "max-file": "3"},
    "storage-driver": "overlay2",
}, indent=2, sort_keys=True))
PY
)"
config_changed=0
if [[ -f $DAEMON_JSON ]] && [[ "$(cat "$DAEMON_JSON")" == "$want_json" ]]; then
  say "$DAEMON_JSON up to date (bip $BIP, pool $POOL /$POOL_SIZE)"
else
  mkdir -p "$(dirname "$DAEMON_JSON")"
  [[ -f $DAEMON_JSON ]] && cp -p "$DAEMON_JSON" "$DAEMON_JSON.govcloud-bak"
  tmp="$(mktemp "$DAEMON_JSON.XXXXXX")"
  printf '%s\n' "$want_json" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$DAEMON_JSON"
  config_changed=1
  say "wrote $DAEMON_JSON (bip $BIP, pool $POOL /$POOL_SIZE)"
fi

# --- 3. engine --------------------------------------------------------------------------
engine_up() { timeout 10 "$DOCKER" info >/dev/null 2>&1; }
have_systemd() { [[ -d /run/systemd/system ]]; }

if engine_up && ((config_changed)); then
  say "daemon.json changed: restarting dockerd"
  if have_systemd; then
    systemctl restart docker
  elif [[ -s $DOCKERD_PIDFILE ]] && kill -0 "$(cat "$DOCKERD_PIDFILE")" 2>/dev/null; then
    pid="$(cat "$DOCKERD_PIDFILE")"
    kill -TERM "$pid"
    for _ in $(seq 1 "$TIMEOUT"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop within ${TIMEOUT}s" 1
  else
    die "dockerd is running but not from $DOCKERD_PIDFILE; restart it yourself to apply $DAEMON_JSON"
  fi
fi

if engine_up; then
  say "dockerd already running"
else
  if have_systemd; then
    say "starting docker.service (systemd)"
    systemctl enable --now docker >/dev/null 2>&1 || systemctl start docker
  else
    # No systemd as PID 1 (containers, CI sandboxes): run dockerd ourselves, detached, so it
    # outlives this script.  dockerd starts its own containerd.
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    printf '\n==== %s govcloud setup-docker.sh starting dockerd ====\n' "$(date -Is)" >>"$DOCKERD_LOG"
    setsid nohup /usr/sbin/dockerd --pidfile "$DOCKERD_PIDFILE" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  fi
  start=$SECONDS
  until engine_up; do
    if ((SECONDS - start >= TIMEOUT)); then
      printf "[setup] docker: error: dockerd did not answer 'docker info' within %ss; last log lines:\n" "$TIMEOUT" >&2
      tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 1
  done
  say "dockerd answers after $((SECONDS - start))s"
fi

# --- 4. client / engine agreement ---------------------------------------------------------
server="$("$DOCKER" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
say "engine $server, client $("$DOCKER" version --format '{{.Client.Version}}') at $DOCKER"
path_docker="$(command -v docker || true)"
if [[ -n $path_docker && $path_docker != "$DOCKER" ]]; then
  if timeout 10 "$path_docker" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    say "note: 'docker' in PATH is $path_docker ($("$path_docker" version --format '{{.Client.Version}}' 2>/dev/null)); it negotiates with the engine fine"
  else
    say "warning: 'docker' in PATH is $path_docker and cannot talk to the engine; use $DOCKER"
  fi
fi
say "ready: storage $("$DOCKER" info --format '{{.Driver}}'), cgroup $("$DOCKER" info --format '{{.CgroupDriver}} v{{.CgroupVersion}}'), docker0 $BIP"
