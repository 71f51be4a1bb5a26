# Returns a host from generation N to generation P after a failed or unconfirmed activation: current back to P,
# N's new units stopped and unlinked (only deploy's own links; an admin's unit taken over is put back), P's unit
# links restored, daemon-reload when a unit file differs, changed services restarted and P's removed ones started
# again; then generation N is marked failed with the reason. Idempotent: every step checks the state first.
#
# Written to STATE/watchdog/revert.sh when an activation is armed, and run from there by the activation itself (a
# step failed), by the controller (a health check failed, or the connection was lost), by the watchdog (no
# confirmation before the deadline), or by the next deploy (an activation nobody confirmed). Whoever runs it first
# under the watchdog lock does the work; the others find nothing to do.
#
# Arguments: $1 = "now" (revert if this activation is armed or unguarded) or "timer" (only if armed and the
# deadline has passed); $2 = why, recorded in N's failure mark.
#
# @param current        STATE/current
# @param current_new    STATE/.current.new
# @param number         N, the generation being undone
# @param previous       P, the generation to return to (0: none; current is removed)
# @param systemd        1 on systemd hosts
# @param unit_dir       /etc/systemd/system
# @param takenover      STATE/taken-over
# @param keep           P's units, one per line
# @param remove         units only N has, one per line
# @param restart        units whose unit or inputs differ between P and N, one per line
# @param start          units only P has (stopped by the activation), one per line
# @param reload         1 when a unit file differs between P and N
# @param wd_lock        STATE/watchdog/lock
# @param wd_state       STATE/watchdog/state
# @param wd_deadline    STATE/watchdog/deadline
# @param token          the activation's token
# @param failed_mark    STATE/generations/N/failed
#
# @exit 0 REVERTED      the host is back on generation P
# @exit 30 NOT_PENDING  nothing to do: this activation was confirmed, reverted already, or superseded
# @exit 31 INCOMPLETE   some step of the revert failed (the last line says which)
# @exit 32 NOT_YET      (timer) the lock is held or the deadline moved meanwhile: the watchdog tries again
set -u
mode=${1:-now}
reason=${2:-}
nl='
'

put_error=''
put() { # on failure $put_error says why (a full disk, a permission)
    t=$(mktemp -- "$1.XXXXXX" 2>&1) || { put_error=$(printf '%s' "$t" | tr '\n' ' '); return 1; }
    if put_error=$({ printf '%s' "$3" | cat >"$t" && chmod "$2" -- "$t" && mv -f -- "$t" "$1"; } 2>&1); then return 0; fi
    put_error=$(printf '%s' "$put_error" | tr '\n' ' ')
    rm -f -- "$t"
    return 1
}

is_ours() {
    [ -L "$unit_dir/$1" ] && [ "$(readlink -- "$unit_dir/$1")" = "$current/units/$1" ]
}

exec 8>>"$wd_lock"
if [ "$mode" = timer ]; then
    # The watchdog never waits for the lock (activate.sh holds it while services restart, which may take longer
    # than any wait here): it tries again a second later rather than giving up while the activation is armed.
    flock -n 8 || exit 32
else
    flock -w 300 8 || { echo "the watchdog lock $wd_lock stayed held for 300s"; exit 31; }
fi
was=$(cat -- "$wd_state" 2>/dev/null || true)
case "$was" in
    "armed $token "*) ;;
    "unguarded $token "*) [ "$mode" = now ] || exit 30 ;;
    *) echo "nothing to revert (${was:-no activation})"; exit 30 ;;
esac
if [ "$mode" = timer ]; then
    deadline=$(cat -- "$wd_deadline" 2>/dev/null || echo 0)
    case "$deadline" in '' | *[!0-9]*) deadline=0 ;; esac
    [ "$(date +%s)" -ge "$deadline" ] || exit 32
fi

problems=''
problem() { problems="$problems${problems:+; }$1"; }

if [ "$previous" -gt 0 ]; then
    if [ "$(readlink -- "$current" 2>/dev/null)" != "generations/$previous" ]; then
        rm -f -- "$current_new" 2>/dev/null
        if [ -e "$current_new" ] || [ -L "$current_new" ]; then
            problem "$current_new is in the way of switching back to generation $previous"
        elif ! out=$({ ln -s -- "generations/$previous" "$current_new" && mv -T -- "$current_new" "$current"; } 2>&1); then
            problem "switching current back to generation $previous: $out"
        fi
    fi
elif [ -L "$current" ]; then
    out=$(rm -f -- "$current" 2>&1) || problem "$out"
fi

if [ "$systemd" = 1 ]; then
    wants=$unit_dir/multi-user.target.wants
    while IFS= read -r unit; do
        [ -n "$unit" ] || continue
        f=$unit_dir/$unit
        w=$wants/$unit
        if systemctl is-active --quiet -- "$unit" 2>/dev/null; then
            out=$(systemctl stop -- "$unit" 2>&1) || problem "systemctl stop $unit: $out"
        fi
        if [ -L "$w" ] && [ "$(readlink -- "$w")" = "$f" ] && is_ours "$unit"; then rm -f -- "$w"; fi
        if is_ours "$unit"; then rm -f -- "$f"; fi
        if [ -e "$takenover/$unit" ] || [ -L "$takenover/$unit" ]; then
            out=$(mv -- "$takenover/$unit" "$f" 2>&1) || problem "putting back $f: $out"
        fi
        if [ -e "$takenover/$unit.wants" ] || [ -L "$takenover/$unit.wants" ]; then
            out=$(mv -- "$takenover/$unit.wants" "$w" 2>&1) || problem "putting back $w: $out"
        fi
    done <<REMOVE
$remove
REMOVE
    # P's units are deploy's links again, as activate.sh links them: an admin's unit that P had taken over and
    # that the activation put back (N dropped the service) goes back aside into taken-over.
    while IFS= read -r unit; do
        [ -n "$unit" ] || continue
        f=$unit_dir/$unit
        w=$wants/$unit
        if ! is_ours "$unit"; then
            if [ -e "$f" ] || [ -L "$f" ]; then
                if [ -e "$takenover/$unit" ] || [ -L "$takenover/$unit" ]; then
                    out=$(rm -f -- "$f" 2>&1) || problem "$out"
                else
                    out=$(mv -- "$f" "$takenover/$unit" 2>&1) || problem "setting $f aside: $out"
                fi
            fi
            out=$(ln -s -- "$current/units/$unit" "$f" 2>&1) || problem "$out"
        fi
        if [ ! -L "$w" ] || [ "$(readlink -- "$w")" != "$f" ]; then
            if [ -e "$takenover/$unit.wants" ] || [ -L "$takenover/$unit.wants" ]; then
                out=$(rm -f -- "$w" 2>&1) || problem "$out"
            elif [ -e "$w" ] || [ -L "$w" ]; then
                out=$(mv -- "$w" "$takenover/$unit.wants" 2>&1) || problem "setting $w aside: $out"
            fi
            out=$(ln -s -- "$f" "$w" 2>&1) || problem "$out"
        fi
    done <<KEEP
$keep
KEEP
    if [ "$reload" = 1 ]; then
        out=$(systemctl daemon-reload 2>&1) || problem "systemctl daemon-reload: $out"
    fi
    set -f
    old_ifs=$IFS
    IFS=$nl
    if [ -n "$restart" ]; then
        out=$(systemctl restart -- $restart 2>&1) || problem "systemctl restart: $out"
    fi
    if [ -n "$start" ]; then
        out=$(systemctl start -- $start 2>&1) || problem "systemctl start: $out"
    fi
    IFS=$old_ifs
    set +f
fi

if [ -d "$(dirname -- "$failed_mark")" ]; then
    put "$failed_mark" 0644 "$(date -u +%Y-%m-%dT%H:%M:%SZ) $reason$nl" || problem "cannot write $failed_mark: $put_error"
fi
if [ -z "$problems" ]; then
    put "$wd_state" 0644 "reverted $token $number $previous$nl" || true
    echo "back on generation $previous"
    exit 0
fi
put "$wd_state" 0644 "revert-failed $token $number $previous$nl" || true
printf 'returning to generation %s was incomplete: %s\n' "$previous" "$problems"
exit 31
