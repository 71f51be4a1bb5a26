# Deletes what the garbage collector decided (under the host lock): generations, store paths with their meta
# lists, and leftovers of cut transfers and of generations that were never completed. Only directories are made
# writable first: files may be hard links shared with live store paths (deltas), and unlinking needs no write
# permission on the file.
#
# @param generations     STATE/generations
# @param store           STATE/store
# @param meta            STATE/store/.meta
# @param numbers         generation numbers to delete, one per line
# @param paths           store path names to delete, one per line
# @param incoming        STATE/store/.incoming- (prefix of transfers in progress)
# @param staging         STATE/generations/.new- (prefix of generations being written)
# @param secrets_dir     STATE/secrets
# @param secret_versions secret version names to delete, one per line (never the key, never a dot name)
set -eu
writable_then_remove() {
    if [ -e "$1" ] && [ ! -L "$1" ]; then find "$1" -type d -exec chmod u+w {} +; fi
    rm -rf -- "$1"
}
while IFS= read -r n; do
    [ -n "$n" ] || continue
    rm -rf -- "$generations/$n"
done <<NUMBERS
$numbers
NUMBERS
while IFS= read -r p; do
    [ -n "$p" ] || continue
    writable_then_remove "$store/$p"
    rm -f -- "$meta/$p"
done <<PATHS
$paths
PATHS
while IFS= read -r v; do
    case $v in
        '' | key | .* | */*) continue ;;
    esac
    rm -f -- "$secrets_dir/$v"
done <<VERSIONS
$secret_versions
VERSIONS
if [ -d "$secrets_dir" ] && [ ! -L "$secrets_dir" ]; then
    rm -f -- "$secrets_dir"/.new-*
fi
for d in "$incoming"* "$staging"*; do
    if [ -e "$d" ] || [ -L "$d" ]; then writable_then_remove "$d"; fi
done
