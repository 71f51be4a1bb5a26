# Confirms an activation: run by the controller over a new SSH connection after the health checks passed, which
# proves that the new generation still lets deploy in (without magic rollback: over the same connection, only to
# record that the health checks passed). Under the watchdog lock, so that confirmation and a revert
# by the watchdog never both happen.
#
# @param wd_lock      STATE/watchdog/lock
# @param wd_state     STATE/watchdog/state
# @param token        the activation's token
# @param number       N, the generation confirmed
# @param failed_mark  STATE/generations/N/failed
#
# @exit 0 CONFIRMED   generation N stays, its "not confirmed" mark removed; the watchdog ends
# @exit 40 REVERTED   too late: the host already reverted (the failure mark's line follows)
# @exit 41 UNKNOWN    the host has no such activation (its state line follows)
# @exit 42 BUSY       the watchdog lock stayed held
set -u
nl='
'
exec 8>>"$wd_lock"
flock -w 60 8 || exit 42
was=$(cat -- "$wd_state" 2>/dev/null || true)
case "$was" in
    "armed $token "* | "unguarded $token "*)
        t=$(mktemp -- "$wd_state.XXXXXX") || exit 41
        printf 'confirmed %s %s\n' "$token" "$number" | cat >"$t" && chmod 0644 -- "$t" && mv -f -- "$t" "$wd_state" \
            || { rm -f -- "$t"; exit 41; }
        rm -f -- "$failed_mark"
        exit 0
        ;;
    "reverted $token "* | "revert-failed $token "*)
        cat -- "$failed_mark" 2>/dev/null || echo "$was"
        exit 40
        ;;
esac
echo "${was:-no activation}"
exit 41
