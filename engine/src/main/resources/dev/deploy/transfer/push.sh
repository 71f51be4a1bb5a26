# Receives the store paths a host lacks as one tar stream on stdin (ArtifactPusher) and gives each its final name
# only after checking it whole. Names are bytes: every path and symlink target is compared byte for byte, so a
# name with a newline, a backslash or bytes that are not UTF-8 arrives exactly or the path is refused.
#
# The stream holds, under .verify/, for each store path SP:
#   SP.list.gz   its entries, each NUL-terminated: "d 755 PATH", "f 444 PATH" or "f 555 PATH", "l 777 PATH//TARGET"
#                (a tree path never contains "//", so the first "//" ends PATH; PATH and TARGET are raw bytes)
#   SP.files.gz  the paths of its files ("./PATH", NUL-terminated), in the order of SP.sums.gz
#   SP.sums.gz   the SHA-256 of each of those files, one hex line each
#   SP.dirs.gz   its directories, NUL-terminated, parents first
#   SP.links.gz  the files to hard-link from its delta base (only when it has one)
#   SP.seal      commands run in the verified directory before it is sealed (only when the artifact has a seal
#                step); they see $final, the path it will have, and may add files but not change received ones
# and .verify/paths, one line "SP BASE SEAL REPAIR" per store path (BASE is - for none, SEAL 1 or 0, REPAIR 1 when
# the host has SP but it failed its check: it is received whole and swapped in). Store path names are
# [A-Za-z0-9+._?=-] only. Then the files and symlinks that cross the wire, as SP/PATH.
#
# This script checks the store and unpacks the stream under store/.incoming-* ($tmp; its lists in $v); install.sh,
# which always follows it in the same program (ArtifactPusher.script), installs every path. Between the two the
# binary cache's substitute.sh fetches and places the files that come from the object store instead of the stream.
#
# A path is unpacked under store/.incoming-* (file times are the host's, so a later edit shows as a file newer than
# the path's meta list), completed from its base with copies (cp --reflink=auto: shared blocks where the file system
# can, never a shared inode, so an edit in one store path cannot change another; never writing into the base), its
# directories set to 755 and files made read-only, checked (entries, modes, link targets, SHA-256 of every file),
# sealed, renamed to store/SP, made read-only, and its lists kept as meta/SP for later deltas. A path being repaired
# replaces the damaged one in one rename (renameat2 RENAME_EXCHANGE through mv --exchange or python3; else two
# renames back to back), and the damaged copy is removed with the incoming directory. A cut
# stream leaves only the incoming directory, which the next run removes (the caller holds the host lock). Nothing
# here follows a symlink planted in the store: the store and meta directories must be real directories, a delta
# base must be a real directory, and leftovers are removed without following links.
#
# @param store  the host's store directory (STATE/store)
# @param meta   where sealed paths' lists are kept (STATE/store/.meta)
# @exit 5 UNSAFE_STORE   the store or meta directory is a symlink or not a directory
set -eu
LC_ALL=C
export LC_ALL

for d in "$store" "$meta"; do
    if [ -L "$d" ]; then
        echo "$d is a symlink; refusing to write through it" >&2
        exit 5
    fi
done
[ -d "$store" ] || mkdir -p -m 755 "$store"
[ -d "$meta" ] || mkdir -m 755 "$meta"
for d in "$store" "$meta"; do
    if [ -L "$d" ] || [ ! -d "$d" ]; then
        echo "$d is not a directory" >&2
        exit 5
    fi
done

for d in "$store"/.incoming-*; do
    if [ -L "$d" ]; then
        rm -f "$d"
    elif [ -d "$d" ]; then
        find "$d" -type d -exec chmod u+w {} +
        rm -rf "$d"
    fi
done
tmp=$(mktemp -d "$store/.incoming-XXXXXXXX")
trap 'find "$tmp" -type d -exec chmod u+w {} + 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 700 "$tmp"
tar -x -m -p --no-same-owner -f - -C "$tmp"
v="$tmp/.verify"
