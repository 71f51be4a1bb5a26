# Lists every generation of a host in one round trip: which one is current, then each numbered generation's
# manifest. Read-only. Output, line by line:
#   @@deploy:current <target of STATE/current, or nothing>
#   @@deploy:generation <N>      then the lines of generations/N/manifest.json (nothing when it is missing)
#   @@deploy:end
#
# @param state  the host's state directory
set -u
echo "@@deploy:current $(readlink "$state/current" 2>/dev/null || true)"
for g in $(ls -1 "$state/generations" 2>/dev/null | grep -E '^[0-9]+$' | sort -n); do
    echo "@@deploy:generation $g"
    cat "$state/generations/$g/manifest.json" 2>/dev/null || true
done
echo '@@deploy:end'
