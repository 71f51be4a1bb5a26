# Reads what a plan needs to know about the store paths it replaces, in the one round trip that also finds the
# delta bases of the transfer (read-only). Standard input: one request per line.
#   b TARGET PREFERRED CANDIDATE...  a delta base for TARGET, as bases.sh: PREFERRED (- for none) if it has a meta
#                                    list, else the candidate whose meta list is newest; prints
#                                    "@@base TARGET BASE SIZE" and SIZE bytes: the meta list as stored (gzip)
#   m PATH                           prints "@@meta PATH SIZE" and the meta list of PATH (gzip), if it has one
#   t PATH MAX                       when PATH is a directory holding exactly one entry, a regular file of at most
#                                    MAX bytes, prints "@@text PATH SIZE" and its bytes
# Store path names are [A-Za-z0-9+._?=-] only (checked by the controller); globbing is off, so "?" is literal.
# Nothing else is printed; what is missing or unusable is left out.
#
# @param store  the host's store directory (STATE/store)
# @param meta   the meta list directory (STATE/store/.meta)
set -u
set -f
LC_ALL=C
export LC_ALL
usable() {
    [ -f "$meta/$1" ] && [ ! -L "$meta/$1" ] && [ -d "$store/$1" ] && [ ! -L "$store/$1" ]
}
while read -r kind first second rest; do
    case $kind in
    b)
        b=''
        if [ "$second" != - ] && usable "$second"; then
            b=$second
        fi
        if [ -z "$b" ] && [ -n "$rest" ] && [ -d "$meta" ]; then
            b=$(cd "$meta" && ls -1t -- $rest 2>/dev/null | head -n 1) || b=''
        fi
        if [ -n "$b" ] && usable "$b"; then
            size=$(wc -c < "$meta/$b") || continue
            printf '@@base %s %s %s\n' "$first" "$b" "$size"
            head -c "$size" "$meta/$b"
        fi
        ;;
    m)
        if usable "$first"; then
            size=$(wc -c < "$meta/$first") || continue
            printf '@@meta %s %s\n' "$first" "$size"
            head -c "$size" "$meta/$first"
        fi
        ;;
    t)
        dir=$store/$first
        if [ -d "$dir" ] && [ ! -L "$dir" ]; then
            entries=$(find "$dir" -mindepth 1 -maxdepth 1 -printf x 2>/dev/null) || continue
            [ "$entries" = x ] || continue
            size=$(find "$dir" -mindepth 1 -maxdepth 1 -type f -printf '%s' 2>/dev/null) || continue
            case $size in ''|*[!0-9]*) continue ;; esac
            [ "$size" -le "$second" ] || continue
            printf '@@text %s %s\n' "$first" "$size"
            find "$dir" -mindepth 1 -maxdepth 1 -type f -exec head -c "$size" {} \;
        fi
        ;;
    esac
done
