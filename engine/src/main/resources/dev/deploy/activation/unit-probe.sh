# One health poll of a systemd unit: it must be active, the check command (if any) must exit 0, and the unit must
# still be active a second later (a service that dies right after starting is caught). A unit in state "failed",
# or "inactive" after it was started (it exited and its Restart= policy does not start it again; systemd would show
# "activating" while a restart is pending), will not recover by itself: that is reported as FAILED, so the wait
# ends at once. While an activation waits for
# confirmation, each poll also moves the watchdog's deadline forward: the controller is alive. Before the command
# runs, the deadline also covers the command's own limit: a health command slower than the confirm timeout must
# not make the watchdog revert while the controller is still waiting for it.
#
# @param unit         the unit (web.service)
# @param check        the health command, run with sh -c; empty for none
# @param limit        seconds the command may run (what is left of the health timeout); timeout(1) then kills it
# @param wd_state     STATE/watchdog/state
# @param wd_deadline  STATE/watchdog/deadline
# @param token        the armed activation's token; empty when no watchdog waits
# @param keepalive    seconds to move the deadline to from now (the confirm timeout plus the rest of a poll); empty
#                     when no watchdog waits
#
# @exit 0 HEALTHY
# @exit 3 UNHEALTHY   not (yet) healthy: the first line says how
# @exit 4 FAILED      the unit failed or exited: it will not become healthy by waiting
set -u
# keep_alive SECONDS: while this activation is armed, the watchdog's deadline becomes now + SECONDS.
keep_alive() {
    [ -n "$token" ] && [ -n "$keepalive" ] || return 0
    case "$(cat -- "$wd_state" 2>/dev/null)" in
        "armed $token "*)
            if t=$(mktemp -- "$wd_deadline.XXXXXX"); then
                { printf '%s\n' "$(($(date +%s) + $1))" >"$t" && chmod 0644 -- "$t" && mv -f -- "$t" "$wd_deadline"; } \
                    || rm -f -- "$t"
            fi
            ;;
    esac
}

keep_alive "${keepalive:-0}"
state=$(systemctl is-active -- "$unit" 2>/dev/null) || true
case "$state" in
    active) ;;
    failed) echo failed; exit 4 ;;
    inactive) echo "inactive (it exited and nothing starts it again)"; exit 4 ;;
    *) echo "${state:-unknown}"; exit 3 ;;
esac
if [ -n "$check" ]; then
    keep_alive $((limit + 2 + ${keepalive:-0}))
    if timeout -k 2 "$limit" sh -c "$check" </dev/null >/dev/null 2>&1; then :; else
        status=$?
        keep_alive "${keepalive:-0}"
        case $status in
            124|137) echo "active, command did not finish within ${limit}s" ;;
            *) echo "active, command exited $status" ;;
        esac
        exit 3
    fi
    keep_alive "${keepalive:-0}"
fi
sleep 1
state=$(systemctl is-active -- "$unit" 2>/dev/null) || true
case "$state" in
    active) ;;
    failed) echo "failed a second after being active"; exit 4 ;;
    inactive) echo "inactive a second after being active (it exited and nothing starts it again)"; exit 4 ;;
    *) echo "${state:-unknown} a second after being active"; exit 3 ;;
esac
