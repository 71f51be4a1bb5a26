#!/usr/bin/env bash
# Makes a Docker engine available on this machine for the integration tests.
#
# The machines have no systemd to start docker.service, so this installs Debian's
# docker.io (and debootstrap, which it-tests/hosts/build-image.sh needs) when missing,
# starts dockerd by hand in the background when it is not answering, and waits until
# `docker info` works. Safe to run any number of times; it never stops a running engine.
#
# Environment:
#   DOCKERD_LOG           where dockerd logs (default /var/log/deploy-dockerd.log)
#   DOCKERD_WAIT_SECONDS  how long to wait for the engine (default 60)
set -euo pipefail

log() { printf '[start-docker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/deploy-dockerd.log}
DOCKERD_WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}

[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages and starts dockerd)"

# --- packages -------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} (apt-get update first)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q || die "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
fi
command -v docker >/dev/null 2>&1 || die "no docker CLI on PATH after installing docker.io"

# --- engine ---------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
    log "docker engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
fi

if pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd process exists but does not answer yet; waiting for it"
else
    # A dockerd killed hard leaves a pid file behind that makes the next start fail.
    if [[ -f /var/run/docker.pid ]] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
        log "removing stale /var/run/docker.pid"
        rm -f /var/run/docker.pid
    fi
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd in the background, logging to $DOCKERD_LOG"
    # setsid: the engine must outlive this script and the shell or CI step that ran it.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    log "dockerd pid $!"
fi

deadline=$((SECONDS + DOCKERD_WAIT_SECONDS))
until docker info >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
        log "last lines of $DOCKERD_LOG:"
        tail -n 30 "$DOCKERD_LOG" >&2 || true
        die "docker engine did not answer 'docker info' within ${DOCKERD_WAIT_SECONDS}s"
    fi
    sleep 1
done
log "docker engine ready ($(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}'))"
