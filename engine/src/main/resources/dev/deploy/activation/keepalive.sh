# Tells the host's watchdog that the controller is alive while an activation waits for confirmation, before the
# controller does something that sends nothing to the host for a while (HTTP checks on a host without systemd): the
# deadline becomes now + SECONDS, if that activation is still armed.
#
# @param wd_state     STATE/watchdog/state
# @param wd_deadline  STATE/watchdog/deadline
# @param token        the armed activation's token
# @param seconds      seconds from now: the confirm timeout plus what the controller does before it is heard again
set -u
case "$(cat -- "$wd_state" 2>/dev/null)" in
    "armed $token "*)
        t=$(mktemp -- "$wd_deadline.XXXXXX") || exit 0
        { printf '%s\n' "$(($(date +%s) + seconds))" >"$t" && chmod 0644 -- "$t" && mv -f -- "$t" "$wd_deadline"; } \
            || rm -f -- "$t"
        ;;
esac
exit 0
