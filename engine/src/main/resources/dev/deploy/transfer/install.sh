# Installs the store paths a receiving script unpacked (push.sh, then, for the binary cache, substitute.sh): the
# second half of the program ArtifactPusher.script and CacheSubstituter run, so a path gets into the store the same
# way whatever brought its files. Expects $tmp (the incoming directory, removed by push.sh's EXIT trap), $v
# ($tmp/.verify, with the lists push.sh describes) and each received entry at $tmp/SP/PATH.
#
# For each line "SP BASE SEAL REPAIR" of $v/paths whose SP the store lacks, or has damaged (REPAIR 1): complete it
# from its base with copies (cp --reflink=auto: never a shared inode; never writing into the base), set directories to 755 and files read-only, compare its entries, modes and link
# targets with SP.list.gz and the SHA-256 of every file with SP.sums.gz byte for byte, run its seal step, rename it
# to store/SP (a repaired path swaps places with the damaged one, which goes with the incoming directory), make it
# read-only and keep its lists as meta/SP. Nothing is renamed before its own checks passed.
#
# @param store  the host's store directory (STATE/store)
# @param meta   where sealed paths' lists are kept (STATE/store/.meta)
# @exit 3 VERIFY_FAILED  a received path differs from its lists (entries, modes, link targets, content) or its seal step failed
# @exit 4 BASE_GONE      a delta base vanished or copying from it failed: nothing got a final name; resend whole
# exchange A B: swaps two directories in one rename (renameat2 RENAME_EXCHANGE); fails when nothing here can
exchange() {
    if mv --help 2>/dev/null | grep -q -e '--exchange'; then
        mv --exchange -T -- "$1" "$2" 2>/dev/null && return 0
    fi
    command -v python3 >/dev/null 2>&1 || return 1
    python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
sys.exit(0 if libc.renameat2(-100, os.fsencode(sys.argv[1]), -100, os.fsencode(sys.argv[2]), 2) == 0 else 1)' \
        "$1" "$2" 2>/dev/null
}

while read -r sp base seal repair; do
    if { [ -e "$store/$sp" ] || [ -L "$store/$sp" ]; } && [ "${repair:-0}" != 1 ]; then
        continue
    fi
    dir="$tmp/$sp"
    [ -d "$dir" ] || mkdir -m 755 "$dir"
    (cd "$dir" && gzip -dc "$v/$sp.dirs.gz" | xargs -0 -r mkdir -p --)
    if [ "$base" != - ]; then
        if [ -L "$store/$base" ] || [ ! -d "$store/$base" ]; then
            echo "store path $sp: its delta base $base is gone" >&2
            exit 4
        fi
        (cd "$store/$base" && gzip -dc "$v/$sp.links.gz" | xargs -0 -r cp --reflink=auto --parents -t "$dir" --) >&2 \
            || { echo "store path $sp: copying unchanged files from $base failed" >&2; exit 4; }
    fi
    find "$dir" -type d -exec chmod 755 {} +
    find "$dir" -type f -perm /222 -exec chmod a-w {} +
    (cd "$dir" && find . -mindepth 1 \( -type l -printf 'l %m %P//%l\0' \) -o \( -type d -printf 'd %m %P\0' \) \
        -o \( -type f -printf 'f %m %P\0' \) -o -printf '? %m %P\0') | sort -z > "$v/$sp.found"
    gzip -dc "$v/$sp.list.gz" | sort -z | cmp -s - "$v/$sp.found" \
        || { echo "store path $sp: received entries, modes or link targets differ from the plan" >&2; exit 3; }
    (cd "$dir" && gzip -dc "$v/$sp.files.gz" | xargs -0 -r sha256sum --) > "$v/$sp.summed" \
        || { echo "store path $sp: its files could not be read to check them" >&2; exit 3; }
    # one line per file; a name with a backslash or newline makes sha256sum start the line with "\"
    sed -e 's/^\\//' "$v/$sp.summed" | cut -c1-64 > "$v/$sp.got"
    gzip -dc "$v/$sp.sums.gz" | cmp -s - "$v/$sp.got" \
        || { echo "store path $sp: content does not match its hash" >&2; exit 3; }
    if [ "$seal" = 1 ]; then
        (final="$store/$sp"; cd "$dir" && . "$v/$sp.seal") </dev/null >&2 \
            || { echo "store path $sp: sealing step failed" >&2; exit 3; }
    fi
    if [ -e "$store/$sp" ] || [ -L "$store/$sp" ]; then
        # repair: the damaged path is moved into the incoming directory (removed on exit), the verified one takes its name
        chmod u+w "$store/$sp" 2>/dev/null || true
        if exchange "$dir" "$store/$sp"; then
            mv -T "$dir" "$tmp/.damaged-$sp"
        else
            mv -T "$store/$sp" "$tmp/.damaged-$sp" && mv -T "$dir" "$store/$sp" \
                || { echo "store path $sp: could not swap the repaired copy in" >&2; exit 3; }
        fi
    else
        mv -T "$dir" "$store/$sp"
    fi
    chmod -R a-w "$store/$sp"
    # without its meta list a path only cannot serve as a delta base: not worth failing for
    { cat "$v/$sp.list.gz" "$v/$sp.sums.gz" > "$v/$sp.meta" && chmod 644 "$v/$sp.meta" \
        && mv -f "$v/$sp.meta" "$meta/$sp"; } || :
done < "$v/paths"
