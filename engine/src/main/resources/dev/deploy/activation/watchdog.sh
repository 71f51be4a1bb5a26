# The activation watchdog: runs detached from the controller's SSH session (a transient systemd unit, or a setsid
# process) and reverts to the previous generation unless the activation is confirmed before its deadline. The
# deadline is moved forward while the controller shows signs of life (each health poll), so it reverts
# confirm_seconds after the controller was last heard of. Ends as soon as the activation is no longer armed.
#
# @param wd_state     STATE/watchdog/state
# @param wd_deadline  STATE/watchdog/deadline
# @param wd_revert    STATE/watchdog/revert.sh
# @param token        the activation's token
set -u
while :; do
    was=$(cat -- "$wd_state" 2>/dev/null || true)
    case "$was" in
        "armed $token "*) ;;
        *) exit 0 ;;
    esac
    deadline=$(cat -- "$wd_deadline" 2>/dev/null || echo 0)
    case "$deadline" in '' | *[!0-9]*) deadline=0 ;; esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
        sh "$wd_revert" timer "not confirmed by the controller in time: reverted by the host"
        [ $? -eq 32 ] || exit 0
    fi
    sleep 1
done
