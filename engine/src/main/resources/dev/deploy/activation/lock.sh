# Takes the per-host deploy lock and, once it holds it, prints the host's facts; then holds the lock while the
# controller's heartbeat arrives on standard input (a byte every few seconds, activation/LockHeartbeat.java). It
# releases the lock when its input ends (the controller closed it, or the connection was closed) or when no byte came
# for hold_seconds (the controller vanished without a word, e.g. a network that silently drops packets, which leaves
# the session open on the host until TCP keepalive, about two hours): the script ends and the kernel drops the flock.
#
# Before anything is written it checks that the state directory is safe for this user (docs/SECURITY.md, "Host
# state directory"): the state directory and every directory above it belong to root or to this user, and no one
# else may write to them (above it, only with the sticky bit, like /tmp); nothing inside it that deploy uses is a
# symbolic link. It creates the layout with explicit modes (0755), and writes lock.owner through an exclusively
# created temporary name and a rename, so a planted symbolic link is never followed.
#
# Output, line by line:
#   locked              then the facts program's output, while the lock is held
#   busy                then the holder's description (lock.owner); the script ends
#   error DETAIL        the state directory cannot be used (DETAIL names the command and its error); it ends
#
# @param state        the state directory (absolute)
# @param store        STATE/store
# @param meta         STATE/store/.meta
# @param generations  STATE/generations
# @param watchdog     STATE/watchdog
# @param takenover    STATE/taken-over
# @param lock         STATE/lock
# @param owner_file   STATE/lock.owner
# @param owner        who takes the lock (operation, user@machine, pid, time), written to lock.owner
# @param facts        the facts program (plan/facts.sh with its values), run once the lock is held
# @param hold_seconds how long to hold the lock after the last heartbeat byte (whole seconds)
#
# @exit 0 OK          locked and later released, or busy (the first line says which)
# @exit 10 UNSAFE     the state directory is unsafe or cannot be created (see the error line)
# @exit 11 NO_FLOCK   flock (util-linux) is not installed, or timeout (coreutils) is not
set -u
uid=$(id -u)
user=$(id -un 2>/dev/null || echo "uid $uid")
if [ "$uid" = 0 ]; then allowed=root; else allowed="$user or root"; fi

fail() { # fail CODE DETAIL
    printf 'error %s\n' "$2"
    exit "$1"
}

# owned_safely PATH FOLLOW: PATH belongs to root or this user and only they may write to it; with FOLLOW=sticky a
# directory writable by others is accepted when its sticky bit is set (no one may rename what they do not own).
owned_safely() {
    info=$(stat -L -c '%u %f' -- "$1" 2>&1) || fail 10 "$info"
    holder=${info% *}
    mode=$((0x${info#* }))
    if [ "$holder" != 0 ] && [ "$holder" != "$uid" ]; then
        fail 10 "$1 belongs to uid $holder, not to $allowed: refusing to use it as or above a state directory"
    fi
    if [ $((mode & 0x12)) -ne 0 ]; then
        if [ "$2" != sticky ] || [ $((mode & 0x200)) -eq 0 ]; then
            fail 10 "$1 is writable by group or others (mode $(stat -L -c %a -- "$1")): refusing to use it (chmod go-w)"
        fi
    fi
}

# ancestors_safe PATH: every directory above PATH, up to /.
ancestors_safe() {
    p=$1
    while [ "$p" != / ] && [ -n "$p" ]; do
        p=$(dirname -- "$p")
        owned_safely "$p" sticky
    done
}

# own_dir PATH: PATH is a directory of deploy's (created 0755 when missing), never a symbolic link.
own_dir() {
    if [ -L "$1" ]; then
        fail 10 "$1 is a symbolic link: deploy never follows links inside its state directory"
    fi
    if [ ! -e "$1" ]; then
        out=$(mkdir -m 0755 -- "$1" 2>&1) || fail 10 "$out"
    fi
    [ -d "$1" ] || fail 10 "$1 is not a directory"
    owned_safely "$1" strict
    out=$(chmod 0755 -- "$1" 2>&1) || fail 10 "$out"
}

if [ ! -e "$state" ] && [ ! -L "$state" ]; then
    out=$(mkdir -p -m 0755 -- "$state" 2>&1) || fail 10 "$out"
fi
[ -d "$state" ] || fail 10 "$state is not a directory"
real=$(readlink -f -- "$state" 2>&1) || fail 10 "$real"
ancestors_safe "$state"
[ "$real" = "$state" ] || ancestors_safe "$real"
owned_safely "$real" strict
for f in "$lock" "$owner_file" "$store" "$meta" "$generations" "$watchdog" "$takenover"; do
    if [ -L "$f" ]; then
        fail 10 "$f is a symbolic link: deploy never follows links inside its state directory"
    fi
done
for d in "$store" "$meta" "$generations" "$watchdog" "$takenover"; do
    own_dir "$d"
done

command -v flock >/dev/null 2>&1 || fail 11 "flock (util-linux) is not installed"
command -v timeout >/dev/null 2>&1 || fail 11 "timeout (coreutils) is not installed"
out=$({ true >>"$lock"; } 2>&1) || fail 10 "cannot open $lock: $out"
exec 9>>"$lock"
if ! flock -n 9; then
    echo busy
    if [ -f "$owner_file" ] && [ ! -L "$owner_file" ]; then cat -- "$owner_file"; fi
    exit 0
fi
chmod 0644 -- "$lock" 2>/dev/null || true

# lock.owner: a fresh file (mktemp: O_EXCL, mode 0600), then renamed over the old name (a rename replaces a link,
# it never writes through it).
rm -f -- "$owner_file".??????
tmp=$(mktemp -- "$owner_file.XXXXXX" 2>&1) || fail 10 "$tmp"
if ! out=$({ printf '%s\n' "$owner" | cat >"$tmp" && chmod 0644 -- "$tmp" && mv -f -- "$tmp" "$owner_file"; } 2>&1); then
    rm -f -- "$tmp"
    fail 10 "could not write $owner_file: $(printf '%s' "$out" | tr '\n' ' ')"
fi

echo locked
sh -c "$facts" </dev/null 9>&-
# One byte at a time, each within hold_seconds; none (timeout killed dd, or end of input) ends the hold. Children get
# no copy of the lock's descriptor, so none of them can keep the lock after this script ends.
while :; do
    got=$(timeout "$hold_seconds" dd bs=1 count=1 2>/dev/null 9>&- | wc -c)
    case $got in
        *[1-9]*) ;;
        *) break ;;
    esac
done
rm -f -- "$owner_file"
