# Runs the armed activation's revert program now (STATE/watchdog/revert.sh): when a health check failed, when the
# controller lost its connection, or when the next deploy finds an activation that was never confirmed. Prints the
# revert program's last line, then "@@deploy:current TARGET".
#
# @param wd_revert  STATE/watchdog/revert.sh
# @param current    STATE/current
# @param reason     why, recorded in the failed generation's mark
#
# @exit 0 REVERTED      the host is back on the previous generation
# @exit 30 NOT_PENDING  nothing to undo (confirmed, reverted already, or no activation)
# @exit 31 INCOMPLETE   the revert failed in part
set -u
if [ -f "$wd_revert" ] && [ ! -L "$wd_revert" ]; then
    sh "$wd_revert" now "$reason"
    code=$?
else
    echo "no activation to undo"
    code=30
fi
echo "@@deploy:current $(readlink -- "$current" 2>/dev/null || true)"
exit "$code"
