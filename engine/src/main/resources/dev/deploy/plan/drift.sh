# Reports, read-only, how the live generation (and the store paths in $paths) differs from what deploy left there (drift): the state of each service
# of the live generation, and whether each live store path still matches the lists it was sealed with
# (STATE/store/.meta/SP: its entries with modes and link targets, then the SHA-256 of each file). With extra=1 also
# what a deploy left behind (transfers and generations in progress) and who holds the deploy lock.
#
# Store check, per live store path (check=fast): every sealed entry is there with its kind, mode and link target
# (directories are 555 once sealed), and no sealed file was modified after the path was sealed (its mtime is newer
# than its meta list, written last). check=full also reads every sealed file and compares its SHA-256 with the list.
# Files a seal step added (and so are not in the list) are not checked.
#
# Output sections (each starts with a line @@deploy:NAME):
#   drift-service UNIT   "ACTIVE SUB LOAD" as systemctl shows them (active running, inactive dead, failed failed,
#                        activating auto-restart, ...), then what overrides deploy's unit: "fragment PATH" (the unit
#                        file systemd loads is not deploy's link into the live generation), "dropin PATH" (each
#                        drop-in), "reload" (the unit file changed since systemd loaded it), "unlinked PATH" (deploy's
#                        link UNIT_DIR/UNIT or UNIT_DIR/multi-user.target.wants/UNIT is missing: a unit nobody links
#                        is gone after the next daemon-reload or boot)
#   drift-path SP        ok | unknown WHY | damaged missing | damaged entry RECORD | damaged modified PATH |
#                        damaged content PATH   (RECORD and PATH with line breaks shown as ?)
#   drift-secret NAME    the live generation's secret file MODULE.NAME: "OWNER GROUP UID GID MODE" (stat), or
#                        "missing" (with check=fast or full)
#   drift-leftover       one path per line: store/.incoming-*, generations/.new-*, .current.new
#   drift-lock           free | held, then the holder's line (lock.owner) | unknown
#
# @param store        STATE/store
# @param meta         STATE/store/.meta
# @param current      STATE/current
# @param generations  STATE/generations
# @param current_new  STATE/.current.new
# @param lock         STATE/lock
# @param lock_owner   STATE/lock.owner
# @param check        fast | full | none
# @param services     1: report the live generation's services (systemd hosts where deploy manages them); 0: not
# @param unit_dir     /etc/systemd/system, where deploy links each unit and its multi-user.target.wants entry
# @param extra        1: report leftovers and the lock holder; 0: not
# @param paths        store path names to check besides the live generation's, one per line (those not in the
#                     store are skipped): the store paths a new generation takes over, or a rollback's target
set -u
LC_ALL=C
export LC_ALL

# The store paths the live generation links to (roots: STORE/SP, units: STORE/SP/UNIT).
live_paths() {
    for sub in roots units; do
        [ -d "$current/$sub" ] || continue
        find "$current/$sub/" -type l -printf '%l\n' 2>/dev/null
    done | while IFS= read -r target; do
        case $target in
            "$store"/*) rest=${target#"$store"/}; echo "${rest%%/*}" ;;
        esac
    done | sort -u
}

printable() { # a NUL-terminated record on stdin -> one line
    head -z -n 1 | tr '\0\n' '\n?'
}

check_path() { # SP WORKDIR
    d=$store/$1
    m=$meta/$1
    w=$2
    if [ -L "$d" ] || [ ! -d "$d" ]; then echo 'damaged missing'; return; fi
    if [ -L "$m" ] || [ ! -f "$m" ]; then echo 'unknown no checksum list (sealed by an older deploy)'; return; fi
    gzip -dc -- "$m" > "$w/meta" 2>/dev/null || { echo 'unknown its checksum list is unreadable'; return; }
    if [ "$(tr -d -c '\000' < "$w/meta" | head -c 1 | wc -c)" -eq 0 ]; then
        echo 'unknown its checksum list has an older format'; return
    fi
    sed -z -n -e 's/^d 755 /d 555 /p' -e '/^[fl] [0-7][0-7][0-7] /p' "$w/meta" | sort -z > "$w/expected"
    (cd "$d" && find . -mindepth 1 \( -type l -printf 'l %m %P//%l\0' \) -o \( -type d -printf 'd %m %P\0' \) \
        -o \( -type f -printf 'f %m %P\0' \) -o -printf '? %m %P\0') 2>/dev/null | sort -z > "$w/found"
    comm -z -23 "$w/expected" "$w/found" > "$w/gone"
    if [ -s "$w/gone" ]; then echo "damaged entry $(printable < "$w/gone")"; return; fi
    (cd "$d" && find . -mindepth 1 -type f -newer "$m" -printf 'f %m %P\0') 2>/dev/null | sort -z > "$w/newer"
    comm -z -12 "$w/expected" "$w/newer" > "$w/modified"
    if [ -s "$w/modified" ]; then echo "damaged modified $(sed -z 's/^f [0-7]* //' "$w/modified" | printable)"; return; fi
    if [ "$check" = full ]; then
        sed -z -n 's/^f \(444\|555\) /.\//p' "$w/meta" > "$w/files"
        if [ -s "$w/files" ]; then
            sed -z -n '$p' "$w/meta" | tr -d '\000' > "$w/want"
            (cd "$d" && xargs -0 -r sha256sum -- < "$w/files") 2>/dev/null | sed -e 's/^\\//' | cut -c1-64 > "$w/got"
            if ! cmp -s "$w/want" "$w/got"; then
                line=$(cmp "$w/want" "$w/got" 2>&1 | sed -n 's/.* line \([0-9][0-9]*\).*/\1/p')
                echo "damaged content $(sed -z -n "${line:-1}p" "$w/files" | sed -z 's|^\./||' | printable)"
                return
            fi
        fi
    fi
    echo ok
}

if [ "$services" = 1 ] && [ -d "$current/units" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    for f in "$current/units"/*.service; do
        [ -L "$f" ] || continue
        u=${f##*/}
        echo "@@deploy:drift-service $u"
        s=$(systemctl show -p ActiveState -p SubState -p LoadState -p FragmentPath -p DropInPaths \
            -p NeedDaemonReload -- "$u" 2>/dev/null)
        printf '%s %s %s\n' "$(printf '%s\n' "$s" | sed -n 's/^ActiveState=//p')" \
            "$(printf '%s\n' "$s" | sed -n 's/^SubState=//p')" "$(printf '%s\n' "$s" | sed -n 's/^LoadState=//p')"
        # what makes systemd run it otherwise than from deploy's unit alone
        fragment=$(printf '%s\n' "$s" | sed -n 's/^FragmentPath=//p')
        if [ -n "$fragment" ] && { [ ! -L "$fragment" ] || [ "$(readlink -- "$fragment")" != "$current/units/$u" ]; }; then
            printf 'fragment %s\n' "$fragment" | tr -d '\r'
        fi
        set -f
        for p in $(printf '%s\n' "$s" | sed -n 's/^DropInPaths=//p'); do
            printf 'dropin %s\n' "$p"
        done
        set +f
        if [ "$(printf '%s\n' "$s" | sed -n 's/^NeedDaemonReload=//p')" = yes ]; then echo reload; fi
        # deploy's own links (activate.sh makes them); a file in their place is a "fragment" above
        if [ ! -e "$unit_dir/$u" ] && [ ! -L "$unit_dir/$u" ]; then printf 'unlinked %s\n' "$unit_dir/$u"; fi
        w=$unit_dir/multi-user.target.wants/$u
        if [ ! -L "$w" ] || [ "$(readlink -- "$w")" != "$unit_dir/$u" ]; then printf 'unlinked %s\n' "$w"; fi
    done
fi

if [ "$check" != none ] && [ -d "$current/secrets" ]; then
    for f in "$current/secrets"/*; do
        [ -L "$f" ] || continue
        name=${f##*/}
        case $name in *[!A-Za-z0-9._@+-]*) continue ;; esac
        echo "@@deploy:drift-secret $name"
        if [ -f "$f" ] && [ ! -L "$(readlink -- "$f")" ]; then stat -L -c '%U %G %u %g %04a' -- "$f"; else echo missing; fi
    done
fi

if [ "$check" != none ]; then
    # lists are compared in a temporary directory outside the state directory (nothing is written there)
    work=$(mktemp -d 2>/dev/null) || work=''
    if [ -z "$work" ]; then
        set -f
        for sp in $(live_paths); do printf '@@deploy:drift-path %s\nunknown no temporary directory\n' "$sp"; done
        set +f
    else
        trap 'rm -rf -- "$work"' EXIT
        {
            live_paths
            if [ -n "$paths" ]; then
                printf '%s\n' "$paths" | while IFS= read -r sp; do
                    if [ -e "$store/$sp" ] || [ -L "$store/$sp" ]; then printf '%s\n' "$sp"; fi
                done
            fi
        } | sort -u > "$work/paths"
        while IFS= read -r sp; do
            case $sp in *[!A-Za-z0-9+._?=-]*|'') continue ;; esac
            echo "@@deploy:drift-path $sp"
            check_path "$sp" "$work"
        done < "$work/paths"
    fi
fi

if [ "$extra" = 1 ]; then
    echo '@@deploy:drift-leftover'
    for p in "$store"/.incoming-* "$generations"/.new-* "$current_new"; do
        if [ -e "$p" ] || [ -L "$p" ]; then printf '%s' "$p" | tr '\n' '?'; echo; fi
    done
    echo '@@deploy:drift-lock'
    if [ ! -e "$lock" ]; then
        echo free
    elif [ -r /proc/locks ]; then
        # the lock is an flock on STATE/lock: held when /proc/locks lists its device and inode
        id=$(stat -c '%i' -- "$lock" 2>/dev/null)
        if [ -n "$id" ] && grep -q " FLOCK .*:$id " /proc/locks 2>/dev/null; then
            echo held
            if [ -f "$lock_owner" ] && [ ! -L "$lock_owner" ]; then head -n 1 -- "$lock_owner"; fi
        else
            echo free
        fi
    else
        echo unknown
    fi
fi
