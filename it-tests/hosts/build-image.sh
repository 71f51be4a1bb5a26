#!/usr/bin/env bash
# Builds the Debian bookworm test-host images used by it-tests (dev.deploy.it.hosts):
#
#   deploy-testhost:bookworm          systemd + OpenSSH + python3 + rsync
#   deploy-testhost:bookworm-norsync  the same without rsync
#
# No registry is reachable from our machines, so the images are made from scratch:
# debootstrap a rootfs from the Debian mirror, configure it in a chroot, `docker import`.
#
# Idempotent: every image carries the label dev.deploy.testhost.recipe=<sha256 of this
# file>; an image whose label matches is left alone, so editing this file rebuilds and
# nothing else does. The debootstrap result is cached as a tarball in $CACHE_DIR (outside
# the repository), keyed by the debootstrap arguments, so a rebuild skips debootstrap.
#
# Usage: it-tests/hosts/build-image.sh [--force]
#   --force   rebuild the images even when their recipe label is current
# Environment:
#   DEPLOY_TESTHOST_CACHE   cache directory (default /var/cache/deploy-testhost)
#   DEPLOY_TESTHOST_MIRROR  Debian mirror (default http://deb.debian.org/debian)
#
# Needs root, debootstrap and a running docker engine (.ci/start-docker.sh provides both).
# The Java side (DebianTestHost) computes the same hash and refuses a stale image.
set -euo pipefail

log() { printf '[build-image] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
timed() { # timed LABEL CMD...: runs CMD and logs how long it took
    local label=$1 start=$SECONDS
    shift
    "$@"
    log "$label took $((SECONDS - start))s"
}

FORCE=0
case "${1:-}" in
    --force) FORCE=1 ;;
    "") ;;
    *) die "unknown argument '$1' (usage: $0 [--force])" ;;
esac

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
RECIPE=$(sha256sum "$SCRIPT" | cut -d' ' -f1)
CACHE_DIR=${DEPLOY_TESTHOST_CACHE:-/var/cache/deploy-testhost}
MIRROR=${DEPLOY_TESTHOST_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
VARIANT=minbase
# rsync is in the base; the norsync image purges it again (no network needed for that).
INCLUDE=systemd,systemd-sysv,dbus,libpam-systemd,openssh-server,python3,ca-certificates,procps,iproute2,util-linux,sudo,rsync
IMAGE_REPO=deploy-testhost
LABEL_KEY=dev.deploy.testhost.recipe
# The directory the host bind-mounts into every container: the sshd socket and the
# authorized_keys live there. Not under /run: that is a tmpfs inside the container.
TESTHOST_DIR=/testhost

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap missing: run .ci/start-docker.sh (it installs it)"
command -v docker >/dev/null || die "docker CLI missing: run .ci/start-docker.sh"
docker info >/dev/null 2>&1 || die "docker engine not answering: run .ci/start-docker.sh"

image_recipe() { # prints the recipe label of image $1, or nothing when it does not exist
    docker image inspect --format "{{index .Config.Labels \"$LABEL_KEY\"}}" "$1" 2>/dev/null || true
}

wanted=()
for tag in bookworm bookworm-norsync; do
    if ((FORCE == 0)) && [[ $(image_recipe "$IMAGE_REPO:$tag") == "$RECIPE" ]]; then
        log "$IMAGE_REPO:$tag is current (recipe ${RECIPE:0:12}), nothing to do"
    else
        wanted+=("$tag")
    fi
done
((${#wanted[@]} > 0)) || exit 0
log "recipe ${RECIPE:0:12}: building ${wanted[*]}"

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
flock -w 1800 9 || die "another build-image.sh holds $CACHE_DIR/.lock"

# --- 1. debootstrap, cached -------------------------------------------------------
BASE_KEY=$(printf '%s\n' "$SUITE" "$VARIANT" "$INCLUDE" "$MIRROR" | sha256sum | cut -c1-16)
BASE_TAR=$CACHE_DIR/base-$SUITE-$BASE_KEY.tar
WORK=$CACHE_DIR/work
cleanup() { [[ -d $WORK ]] && rm -rf --one-file-system "$WORK"; }
trap cleanup EXIT

if [[ -s $BASE_TAR ]]; then
    log "reusing cached debootstrap tarball $BASE_TAR"
else
    log "debootstrap $SUITE ($VARIANT) from $MIRROR into a fresh rootfs"
    rm -rf --one-file-system "$WORK"
    mkdir -p "$WORK/base"
    timed debootstrap debootstrap --variant="$VARIANT" --include="$INCLUDE" \
        "$SUITE" "$WORK/base" "$MIRROR" \
        || die "debootstrap failed (see $WORK/base/debootstrap/debootstrap.log)"
    rm -rf "$WORK/base/var/cache/apt/archives/"*.deb
    tar -C "$WORK/base" --numeric-owner --xattrs --xattrs-include='*' -cpf "$BASE_TAR.tmp" . \
        || die "could not write $BASE_TAR.tmp"
    mv "$BASE_TAR.tmp" "$BASE_TAR"
    rm -rf --one-file-system "$WORK/base"
    log "cached $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"
fi

# --- 2. configuration shared by both images ----------------------------------------
mask() { # mask UNIT...: units that fail, hang or only cost boot time in a container
    local unit
    for unit in "$@"; do ln -sfn /dev/null "$ROOT/etc/systemd/system/$unit"; done
}

enable_in() { # enable_in TARGET UNIT: what `systemctl enable` would do for WantedBy=TARGET
    mkdir -p "$ROOT/etc/systemd/system/$1.wants"
    ln -sfn "/etc/systemd/system/$2" "$ROOT/etc/systemd/system/$1.wants/$2"
}

configure_common() {
    log "configuring $ROOT"
    # Every container must get its own identity: no baked-in host keys or machine id.
    # An empty machine-id (not a missing one) gives a fresh id per boot without
    # first-boot semantics (no preset-all, no firstboot prompts).
    rm -f "$ROOT"/etc/ssh/ssh_host_*
    : >"$ROOT/etc/machine-id"
    rm -f "$ROOT/var/lib/dbus/machine-id"

    if [[ $(awk -F: '$1 == "root" { print $7 }' "$ROOT/etc/passwd") != /bin/bash ]]; then
        chroot "$ROOT" usermod --shell /bin/bash root
    fi
    mkdir -p "$ROOT$TESTHOST_DIR"
    chmod 0755 "$ROOT$TESTHOST_DIR"

    # Units that fail, hang or just cost time in a docker container without devices.
    mask getty.target console-getty.service getty@.service serial-getty@.service \
        systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
        systemd-udev-trigger.service systemd-udev-settle.service \
        systemd-remount-fs.service systemd-modules-load.service kmod-static-nodes.service \
        systemd-sysctl.service systemd-hwdb-update.service systemd-firstboot.service \
        systemd-machine-id-commit.service systemd-journald-audit.socket \
        systemd-binfmt.service proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount \
        sys-kernel-config.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
        sys-fs-fuse-connections.mount dev-hugepages.mount \
        systemd-ask-password-wall.path systemd-ask-password-console.path \
        apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
        fstrim.timer man-db.timer \
        ssh.service ssh.socket rsync.service

    # sshd, started per connection on a Unix socket in the bind-mounted directory.
    cat >"$ROOT/etc/ssh/sshd_config.d/testhost.conf" <<EOF
# deploy test host: key-only root login, keys supplied by the test via $TESTHOST_DIR.
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $TESTHOST_DIR/authorized_keys .ssh/authorized_keys
# One host key type only, so the single known_hosts line the tests write always matches.
HostKey /etc/ssh/ssh_host_ed25519_key
UseDNS no
PrintMotd no
PrintLastLog no
EOF
    cat >"$ROOT/etc/systemd/system/testhost-ssh-keygen.service" <<EOF
[Unit]
Description=Generate this test host's own SSH host keys
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
# Early-boot unit: with the default After=basic.target it would form an ordering cycle
# (basic.target > sockets.target > testhost-ssh.socket > this), which systemd breaks by
# dropping a job at random - and sometimes the socket never listens.
DefaultDependencies=no
Requires=sysinit.target
After=sysinit.target
Before=testhost-ssh.socket shutdown.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
# Only the ed25519 key: the RSA key of 'ssh-keygen -A' costs boot time and sshd
# offers just the key named by HostKey in sshd_config.d/testhost.conf.
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key

[Install]
WantedBy=sockets.target
EOF
    cat >"$ROOT/etc/systemd/system/testhost-ssh.socket" <<EOF
[Unit]
Description=OpenSSH on the test host's Unix socket $TESTHOST_DIR/ssh.sock
Requires=testhost-ssh-keygen.service
After=testhost-ssh-keygen.service

[Socket]
ListenStream=$TESTHOST_DIR/ssh.sock
SocketMode=0600
Accept=yes
# Tests open many connections at once (parallel deploys, retries after cut links).
MaxConnections=256

[Install]
WantedBy=sockets.target
EOF
    cat >"$ROOT/etc/systemd/system/testhost-ssh@.service" <<'EOF'
[Unit]
Description=OpenSSH per-connection daemon for the test host socket
After=testhost-ssh-keygen.service

[Service]
ExecStart=-/usr/sbin/sshd -i
StandardInput=socket
StandardError=journal
KillMode=process
EOF
    # sshd needs its privilege separation directory; shared by all per-connection
    # instances, so it is not a RuntimeDirectory= that the first one to exit removes.
    echo 'd /run/sshd 0755 root root -' >"$ROOT/etc/tmpfiles.d/testhost-sshd.conf"
    enable_in sockets.target testhost-ssh-keygen.service
    enable_in sockets.target testhost-ssh.socket

    # Volatile journal, quiet console: docker logs stay readable, the disk untouched.
    mkdir -p "$ROOT/etc/systemd/journald.conf.d"
    printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' \
        >"$ROOT/etc/systemd/journald.conf.d/testhost.conf"

    rm -rf "$ROOT/var/lib/apt/lists/"* "$ROOT/var/cache/apt/"*.bin "$ROOT/var/log/"*.log
    echo "$RECIPE" >"$ROOT/etc/deploy-testhost-recipe"
}

purge_rsync() {
    log "purging rsync from $ROOT"
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    chroot "$ROOT" dpkg --purge rsync || die "dpkg --purge rsync failed"
    rm -f "$ROOT/usr/sbin/policy-rc.d"
    [[ ! -e $ROOT/usr/bin/rsync ]] || die "rsync still present after purge"
}

# --- 3. one image per tag ---------------------------------------------------------
for tag in "${wanted[@]}"; do
    ROOT=$WORK/$tag
    rm -rf --one-file-system "$ROOT"
    mkdir -p "$ROOT"
    timed "extracting base for $tag" \
        tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -xpf "$BASE_TAR"
    configure_common
    if [[ $tag == *-norsync ]]; then purge_rsync; fi

    log "importing $ROOT as $IMAGE_REPO:$tag"
    start=$SECONDS
    tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -cpf - . \
        | docker import \
            --change "LABEL $LABEL_KEY=$RECIPE" \
            --change 'ENV container=docker' \
            --change 'CMD ["/lib/systemd/systemd"]' \
            --message "deploy test host $tag, recipe $RECIPE" \
            - "$IMAGE_REPO:$tag" >/dev/null \
        || die "docker import of $IMAGE_REPO:$tag failed"
    log "docker import of $IMAGE_REPO:$tag took $((SECONDS - start))s"
    [[ $(image_recipe "$IMAGE_REPO:$tag") == "$RECIPE" ]] \
        || die "$IMAGE_REPO:$tag lacks label $LABEL_KEY=$RECIPE after import"
    rm -rf --one-file-system "$ROOT"
done

docker image prune -f --filter "label=$LABEL_KEY" >/dev/null || log "warning: could not prune old images"
docker image ls "$IMAGE_REPO" >&2
log "done"
