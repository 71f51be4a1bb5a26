# Lists every generation of a host in one round trip: which one is current, then each numbered generation's
# manifest and failure mark. Read-only. Output, line by line:
#   @@deploy:current <target of STATE/current, or nothing>
#   @@deploy:generation <N>      then the lines of generations/N/manifest.json (nothing when it is missing)
#   @@deploy:failed <N>          then generations/N/failed (time and why), when N is marked failed
#   @@deploy:end
#
# @param current      STATE/current
# @param generations  STATE/generations
set -u
echo "@@deploy:current $(readlink -- "$current" 2>/dev/null || true)"
for g in $(ls -1 -- "$generations" 2>/dev/null | grep -E '^[0-9]+$' | sort -n); do
    echo "@@deploy:generation $g"
    cat -- "$generations/$g/manifest.json" 2>/dev/null || true
    if [ -f "$generations/$g/failed" ]; then
        echo "@@deploy:failed $g"
        cat -- "$generations/$g/failed" 2>/dev/null || true
    fi
done
echo '@@deploy:end'
