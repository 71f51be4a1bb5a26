# Finds, for each store path about to be pushed, the delta base the host has and prints its meta list (read-only).
# Standard input: one request per line, "TARGET PREFERRED CANDIDATE...": the store path to push, the base the
# controller prefers (- for none: the current generation's path in the same role) and other store paths with the
# same name. Store path names are [A-Za-z0-9+._?=-] only; globbing is off, so "?" is literal.
# The preferred base is taken if it has a meta list, else the candidate whose meta list is newest. For each base
# found, standard output gets the line "@@base TARGET BASE SIZE" and then SIZE bytes: the meta list file as stored
# (gzip). Nothing else is printed.
#
# @param store  the host's store directory (STATE/store)
# @param meta   the meta list directory (STATE/store/.meta)
set -u
set -f
LC_ALL=C
export LC_ALL
while read -r target preferred candidates; do
    b=''
    if [ "$preferred" != - ] && [ -f "$meta/$preferred" ] && [ ! -L "$meta/$preferred" ] \
        && [ -d "$store/$preferred" ] && [ ! -L "$store/$preferred" ]; then
        b=$preferred
    fi
    if [ -z "$b" ] && [ -n "$candidates" ] && [ -d "$meta" ]; then
        b=$(cd "$meta" && ls -1t -- $candidates 2>/dev/null | head -n 1) || b=''
    fi
    if [ -n "$b" ] && [ -f "$meta/$b" ] && [ ! -L "$meta/$b" ] && [ -d "$store/$b" ] && [ ! -L "$store/$b" ]; then
        size=$(wc -c < "$meta/$b") || continue
        printf '@@base %s %s %s\n' "$target" "$b" "$size"
        head -c "$size" "$meta/$b"
    fi
done
