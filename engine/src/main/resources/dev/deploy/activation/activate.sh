# Activates generation N on a host, all or nothing: the on-host part of the activation state machine
# (docs/DESIGN.md, "Activation"). Steps, each reported on stdout as "@@deploy:step NAME" once done:
#
#   prepared   (write=1) generation N is written under generations/.new-N from the manifest on stdin, whose length
#              and SHA-256 are checked before anything else, and renamed to generations/N; the unit directory is
#              writable and no service would replace a unit deploy did not create (unless taken over)
#   armed      the watchdog's files are written under the watchdog lock: state "armed" (or "unguarded" without
#              magic rollback), deadline, revert.sh (the undo of this activation); the watchdog is started; N is
#              marked "not confirmed" (failed_mark) until confirm.sh removes the mark, so a deploy that stops
#              before confirming (killed, cut off, without a watchdog to revert) never leaves N looking good
#   stopped    services N no longer has are stopped
#   switched   current -> generations/N (one rename)
#   units      unit links: N's units linked, removed ones unlinked (only deploy's own links), taken-over units saved
#   reloaded   systemctl daemon-reload, only when a unit file changed
#   started    changed services restarted, new ones started (a unit that fails to start is left to its health
#              check, which sees it failed at once)
#   activated  the watchdog's deadline is set to now + confirm_seconds; the lock is released
#
# A failure before "armed" leaves the host as it was (generations/N is removed again): "@@deploy:failed STEP
# DETAIL", exit PREPARE, MANIFEST_CUT or FOREIGN_UNIT. A failure after it runs revert.sh at once, which returns the
# host to generation P (links, units, services) and marks N failed: "@@deploy:failed STEP DETAIL" then
# "@@deploy:restored" (exit RESTORED) or "@@deploy:not-restored DETAIL" (exit NOT_RESTORED). If this script is
# killed (the controller died), the watchdog runs revert.sh at the deadline.
#
# @param state            the state directory
# @param store            STATE/store
# @param current          STATE/current
# @param current_new      STATE/.current.new
# @param number           N, the generation to activate
# @param previous         P, the generation live now (0: none)
# @param write            1: write generations/N from stdin first (apply); 0: it exists already (rollback)
# @param staging          STATE/generations/.new-N
# @param target           STATE/generations/N
# @param manifest_bytes   length of the manifest sent on stdin
# @param manifest_sha256  its SHA-256 (hex)
# @param roots            N's roots, one per line: ROLE<TAB>STORE-PATH
# @param secrets          N's secret versions, one per line: MODULE.NAME<TAB>VERSION (linked as secrets/MODULE.NAME)
# @param secrets_dir      STATE/secrets, where the versions are
# @param units            N's units, one per line: NAME.service<TAB>STORE-PATH of the unit
# @param systemd          1 on systemd hosts (units are linked and services run), else 0
# @param unit_dir         /etc/systemd/system
# @param unit_search      the other directories systemd reads system units and drop-ins from, one per line
# @param takenover        STATE/taken-over
# @param take_over        units whose file deploy may replace although it did not create it, one per line
# @param stop             units to stop (P has them, N does not), one per line
# @param restart          units to restart (unit or inputs changed), one per line
# @param start            units to start (new in N), one per line
# @param reload           1 when a unit file changes (daemon-reload needed)
# @param wd_lock          STATE/watchdog/lock
# @param wd_state         STATE/watchdog/state
# @param wd_deadline      STATE/watchdog/deadline
# @param wd_revert        STATE/watchdog/revert.sh
# @param wd_program       STATE/watchdog/watchdog.sh
# @param wd_log           STATE/watchdog/log
# @param token            this activation's random token (confirmation must present it)
# @param failed_mark      STATE/generations/N/failed
# @param guard            how the watchdog runs: auto (a transient systemd unit when root on a systemd host, else a
#                         detached setsid process), systemd, setsid, or none (no magic rollback: state "unguarded")
# @param watchdog_unit    the transient unit's name (guard=systemd)
# @param boot_unit        the template unit that runs the watchdog again after a reboot (guard=systemd): its
#                         instance for this state directory is wanted by multi-user.target (deploy-watchdog@.service)
# @param boot_unit_text   that unit file's text
# @param confirm_seconds  how long after the last sign of the controller the host waits for confirmation
# @param revert_program   revert.sh with its values: written to wd_revert
# @param watchdog_program watchdog.sh with its values: written to wd_program
#
# @exit 0 ACTIVATED        every step done; health checks and confirmation follow
# @exit 20 PREPARE         a step before the switch failed; nothing changed
# @exit 21 MANIFEST_CUT    the manifest on stdin was cut or altered; nothing changed
# @exit 22 FOREIGN_UNIT    a unit file deploy did not create would be replaced; nothing changed
# @exit 23 RESTORED        a step after arming failed; the host is back on generation P
# @exit 24 NOT_RESTORED    a step after arming failed and the undo failed too
set -u
tab=$(printf '\t')
nl='
'

step() { echo "@@deploy:step $1"; }

# put FILE MODE TEXT: TEXT into FILE through an exclusively created temporary name, then a rename. On failure
# $put_error says why (a full disk, a permission): written by cat, whose error names errno (dash's builtin printf only
# says "I/O error").
put_error=''
put() {
    t=$(mktemp -- "$1.XXXXXX" 2>&1) || { put_error=$(printf '%s' "$t" | tr '\n' ' '); return 1; }
    if put_error=$({ printf '%s' "$3" | cat >"$t" && chmod "$2" -- "$t" && mv -f -- "$t" "$1"; } 2>&1); then return 0; fi
    put_error=$(printf '%s' "$put_error" | tr '\n' ' ')
    rm -f -- "$t"
    return 1
}

# is_ours UNIT: the unit file is deploy's link into this state directory.
is_ours() {
    [ -L "$unit_dir/$1" ] && [ "$(readlink -- "$unit_dir/$1")" = "$current/units/$1" ]
}

in_list() { # in_list WORD LIST
    case "$nl$2$nl" in *"$nl$1$nl"*) return 0 ;; esac
    return 1
}

armed=0
made=0
before_switch() { # before_switch CODE STEP DETAIL: nothing was switched; undo what prepare did
    printf '@@deploy:failed %s %s\n' "$2" "$3"
    if [ "$write" = 1 ]; then rm -rf -- "$staging"; fi
    if [ "$made" = 1 ]; then rm -rf -- "$target"; fi
    if [ "$armed" = 1 ]; then put "$wd_state" 0644 "aborted $token $number $previous$nl" || true; fi
    exit "$1"
}

undo() { # undo STEP DETAIL: a step after arming failed; revert.sh puts generation P back
    printf '@@deploy:failed %s %s\n' "$1" "$2"
    exec 8>&-
    if out=$(sh "$wd_revert" now "$1: $2" 2>&1); then
        echo '@@deploy:restored'
        exit 23
    fi
    printf '@@deploy:not-restored %s\n' "$(printf '%s\n' "$out" | tail -n 1)"
    exit 24
}

# --- prepare ------------------------------------------------------------------------------------------------------
if [ "$write" = 1 ]; then
    if [ -e "$staging" ] || [ -L "$staging" ]; then
        rm -rf -- "$staging" || before_switch 20 prepare "cannot remove the leftover $staging"
    fi
    out=$(mkdir -m 0755 -- "$staging" 2>&1) || before_switch 20 prepare "$out"
    out=$({ cat >"$staging/manifest.json"; } 2>&1) \
        || before_switch 20 prepare "writing $staging/manifest.json failed: $(printf '%s' "$out" | tr '\n' ' ')"
    got=$(wc -c <"$staging/manifest.json" | tr -d ' ')
    if [ "$got" != "$manifest_bytes" ]; then
        before_switch 21 prepare "the manifest arrived cut ($got of $manifest_bytes bytes); nothing was switched"
    fi
    sum=$(sha256sum <"$staging/manifest.json" | cut -d ' ' -f 1)
    if [ "$sum" != "$manifest_sha256" ]; then
        before_switch 21 prepare "the manifest arrived altered (SHA-256 $sum, sent $manifest_sha256); nothing was switched"
    fi
    chmod 0644 -- "$staging/manifest.json" || before_switch 20 prepare "chmod of the manifest failed"
    out=$(mkdir -m 0755 -- "$staging/roots" "$staging/units" 2>&1) || before_switch 20 prepare "$out"
    while IFS="$tab" read -r role path; do
        [ -n "$role" ] || continue
        link=$staging/roots/$role
        out=$(mkdir -p -m 0755 -- "$(dirname -- "$link")" 2>&1) || before_switch 20 prepare "$out"
        out=$(ln -s -- "$store/$path" "$link" 2>&1) || before_switch 20 prepare "$out"
    done <<ROOTS
$roots
ROOTS
    while IFS="$tab" read -r unit path; do
        [ -n "$unit" ] || continue
        out=$(ln -s -- "$store/$path/$unit" "$staging/units/$unit" 2>&1) || before_switch 20 prepare "$out"
    done <<UNITS
$units
UNITS
    if [ -n "$secrets" ]; then
        out=$(mkdir -m 0755 -- "$staging/secrets" 2>&1) || before_switch 20 prepare "$out"
        while IFS="$tab" read -r name version; do
            [ -n "$name" ] || continue
            [ -e "$secrets_dir/$version" ] || before_switch 20 prepare "secret version $version is missing from $secrets_dir"
            out=$(ln -s -- "$secrets_dir/$version" "$staging/secrets/$name" 2>&1) || before_switch 20 prepare "$out"
        done <<SECRETS
$secrets
SECRETS
    fi
    out=$(mv -T -- "$staging" "$target" 2>&1) || before_switch 20 prepare "$out"
    made=1
else
    [ -f "$target/manifest.json" ] || before_switch 20 prepare "$target has no manifest.json"
fi

if [ "$systemd" = 1 ] && [ -n "$units$stop" ]; then
    wants=$unit_dir/multi-user.target.wants
    [ -d "$unit_dir" ] && [ -w "$unit_dir" ] \
        || before_switch 20 prepare "the unit directory $unit_dir is not writable by $(id -un) (deploy links its units there; deploy as root or a user allowed to)"
    if [ ! -d "$wants" ]; then
        out=$(mkdir -m 0755 -- "$wants" 2>&1) || before_switch 20 prepare "$out"
    fi
    [ -w "$wants" ] || before_switch 20 prepare "$wants is not writable by $(id -un)"
    while IFS="$tab" read -r unit path; do
        [ -n "$unit" ] || continue
        is_ours "$unit" && continue
        in_list "$unit" "$take_over" && continue
        f=$unit_dir/$unit
        found=''
        if [ -e "$f" ] || [ -L "$f" ]; then
            found=$f
        else
            while IFS= read -r v; do
                [ -n "$v" ] || continue
                if [ -e "$v/$unit" ] || [ -L "$v/$unit" ]; then found=$v/$unit; break; fi
                if [ -e "$v/$unit.d" ] || [ -L "$v/$unit.d" ]; then found="$v/$unit.d (a drop-in directory)"; break; fi
            done <<DIRS
$unit_dir
$unit_search
DIRS
        fi
        if [ -n "$found" ]; then
            before_switch 22 prepare "$found exists and was not made by deploy; it is left alone"
        fi
    done <<UNITS
$units
UNITS
fi
step prepared

# --- arm ----------------------------------------------------------------------------------------------------------
out=$({ true >>"$wd_lock"; } 2>&1) || before_switch 20 arm "cannot open $wd_lock: $out"
exec 8>>"$wd_lock"
flock -w 120 8 || before_switch 20 arm "the watchdog lock $wd_lock stayed held for 120s"
was=$(cat -- "$wd_state" 2>/dev/null || true)
case "$was" in
    armed\ *) before_switch 20 arm "an earlier activation is still waiting for confirmation ($was)" ;;
esac
armed=1
if [ "$guard" = none ]; then word=unguarded; else word=armed; fi
put "$wd_revert" 0700 "$revert_program" || before_switch 20 arm "cannot write $wd_revert: $put_error"
put "$wd_program" 0700 "$watchdog_program" || before_switch 20 arm "cannot write $wd_program: $put_error"
put "$wd_deadline" 0644 "$(($(date +%s) + confirm_seconds))$nl" || before_switch 20 arm "cannot write $wd_deadline: $put_error"
put "$wd_state" 0644 "$word $token $number $previous$nl" || before_switch 20 arm "cannot write $wd_state: $put_error"
how=$guard
if [ "$how" = auto ]; then
    if [ "$(id -u)" = 0 ] && [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then
        how=systemd
    else
        how=setsid
    fi
fi
# The watchdog must not inherit fd 8: it would hold the watchdog lock for as long as it runs.
case "$how" in
    systemd)
        # A reboot ends the transient unit: the boot unit runs the watchdog again (a no-op unless still armed).
        inst=$(systemd-escape --path -- "$state" 2>&1) || before_switch 20 arm "systemd-escape: $inst"
        boot_wants=$unit_dir/multi-user.target.wants
        boot_link=$boot_wants/${boot_unit%@.service}@$inst.service
        if ! printf '%s' "$boot_unit_text" | cmp -s - "$unit_dir/$boot_unit"; then
            put "$unit_dir/$boot_unit" 0644 "$boot_unit_text" || before_switch 20 arm "cannot write $unit_dir/$boot_unit"
        fi
        if [ ! -d "$boot_wants" ]; then
            out=$(mkdir -m 0755 -- "$boot_wants" 2>&1) || before_switch 20 arm "$out"
        fi
        if [ "$(readlink -- "$boot_link" 2>/dev/null)" != "$unit_dir/$boot_unit" ]; then
            rm -f -- "$boot_link"
            out=$(ln -s -- "$unit_dir/$boot_unit" "$boot_link" 2>&1) || before_switch 20 arm "$out"
        fi
        out=$(systemd-run --unit="$watchdog_unit" --collect --quiet \
            --description="deploy watchdog: back to generation $previous unless generation $number is confirmed" \
            /bin/sh "$wd_program" 2>&1) || before_switch 20 arm "systemd-run: $out"
        ;;
    setsid)
        if command -v setsid >/dev/null 2>&1; then
            setsid /bin/sh "$wd_program" </dev/null >>"$wd_log" 2>&1 8>&- &
        else
            nohup /bin/sh "$wd_program" </dev/null >>"$wd_log" 2>&1 8>&- &
        fi
        ;;
esac
why="not confirmed: switched to, then the deploy that did it never confirmed it (it stopped, or is still checking)"
put "$failed_mark" 0644 "$(date -u +%Y-%m-%dT%H:%M:%SZ) $why$nl" || before_switch 20 arm "cannot write $failed_mark: $put_error"
echo "@@deploy:guard $how"
step armed

# --- stop, switch, units, reload, start -----------------------------------------------------------------------
if [ "$systemd" = 1 ] && [ -n "$stop" ]; then
    while IFS= read -r unit; do
        [ -n "$unit" ] || continue
        if ! out=$(systemctl stop -- "$unit" 2>&1); then
            [ "$(systemctl is-active -- "$unit" 2>/dev/null)" = active ] && undo stop "systemctl stop $unit: $out"
        fi
    done <<STOP
$stop
STOP
fi
step stopped

rm -f -- "$current_new" 2>/dev/null
if [ -e "$current_new" ] || [ -L "$current_new" ]; then undo switch "$current_new is in the way (not a link deploy left)"; fi
out=$(ln -s -- "generations/$number" "$current_new" 2>&1) || undo switch "$out"
out=$(mv -T -- "$current_new" "$current" 2>&1) || undo switch "$out"
step switched

if [ "$systemd" = 1 ]; then
    wants=$unit_dir/multi-user.target.wants
    while IFS="$tab" read -r unit path; do
        [ -n "$unit" ] || continue
        f=$unit_dir/$unit
        if ! is_ours "$unit"; then
            if [ -e "$f" ] || [ -L "$f" ]; then
                # Taken over (prepare refused any other): keep the admin's file to put it back later.
                if [ -e "$takenover/$unit" ] || [ -L "$takenover/$unit" ]; then
                    out=$(rm -f -- "$f" 2>&1) || undo units "$out"
                else
                    out=$(mv -- "$f" "$takenover/$unit" 2>&1) || undo units "$out"
                fi
            fi
            out=$(ln -s -- "$current/units/$unit" "$f" 2>&1) || undo units "$out"
        fi
        w=$wants/$unit
        if [ ! -L "$w" ] || [ "$(readlink -- "$w")" != "$f" ]; then
            if [ -e "$takenover/$unit.wants" ] || [ -L "$takenover/$unit.wants" ]; then
                out=$(rm -f -- "$w" 2>&1) || undo units "$out"
            elif [ -e "$w" ] || [ -L "$w" ]; then
                out=$(mv -- "$w" "$takenover/$unit.wants" 2>&1) || undo units "$out"
            fi
            out=$(ln -s -- "$f" "$w" 2>&1) || undo units "$out"
        fi
    done <<UNITS
$units
UNITS
    while IFS= read -r unit; do
        [ -n "$unit" ] || continue
        f=$unit_dir/$unit
        w=$wants/$unit
        if [ -L "$w" ] && [ "$(readlink -- "$w")" = "$f" ] && is_ours "$unit"; then
            out=$(rm -f -- "$w" 2>&1) || undo units "$out"
        fi
        if is_ours "$unit"; then
            out=$(rm -f -- "$f" 2>&1) || undo units "$out"
        fi
        if [ -e "$takenover/$unit" ] || [ -L "$takenover/$unit" ]; then
            out=$(mv -- "$takenover/$unit" "$f" 2>&1) || undo units "$out"
        fi
        if [ -e "$takenover/$unit.wants" ] || [ -L "$takenover/$unit.wants" ]; then
            out=$(mv -- "$takenover/$unit.wants" "$w" 2>&1) || undo units "$out"
        fi
    done <<STOP
$stop
STOP
    step units
    if [ "$reload" = 1 ]; then
        out=$(systemctl daemon-reload 2>&1) || undo daemon-reload "systemctl daemon-reload: $out"
        step reloaded
    fi
    # A unit that fails to start is left to its health check, which sees it failed at once.
    set -f
    old_ifs=$IFS
    IFS=$nl
    if [ -n "$restart" ]; then systemctl restart -- $restart >/dev/null 2>&1 || true; fi
    if [ -n "$start" ]; then systemctl start -- $start >/dev/null 2>&1 || true; fi
    IFS=$old_ifs
    set +f
    step started
fi

put "$wd_deadline" 0644 "$(($(date +%s) + confirm_seconds))$nl" || undo activate "cannot write $wd_deadline: $put_error"
step activated
exit 0
