# Prints a host's state in one round trip, read-only: the current generation (link target, manifest, failure
# mark), the generations and store paths present, the activation watchdog's state, the secret-naming key and the
# secret versions present, whether systemd runs, the
# architecture and free space, what holds the unit file name of each given service, and what each given Python
# interpreter is. Each section starts with a line @@deploy:NAME; the output ends with @@deploy:end.
#
# A unit is reported as: absent; ours (a link to STATE/current/units/NAME, made by deploy); link PATH -> TARGET or
# file PATH (someone else's unit, in /etc/systemd/system or another directory systemd reads units from, or a drop-in
# directory NAME.d for a unit deploy has not linked yet); then "saved" when an admin's unit
# taken over by deploy is kept in STATE/taken-over.
#
# @param state           the state directory
# @param current         STATE/current
# @param generations     STATE/generations
# @param store           STATE/store
# @param watchdog_state  STATE/watchdog/state
# @param takenover       STATE/taken-over
# @param secrets_dir     STATE/secrets (root only: read when deploy runs as root)
# @param secret_key      STATE/secrets/key, the host's secret-naming key (hex); its value never leaves the run
# @param unit_dir        /etc/systemd/system
# @param unit_search     the other directories systemd reads system units and drop-ins from, one per line
# @param units           unit file names to check (web.service), one per line; may be empty
# @param pythons         Python interpreters to probe (paths or names on PATH), one per line; may be empty
# @param probe           the Python program that describes an interpreter
# @param accounts        accounts a secret's file is given to, "user NAME" or "group NAME", one per line; may be empty
# @param drift           a program printing the live generation's drift sections (drift.sh), or empty
set -u
echo '@@deploy:current'; readlink -- "$current" 2>/dev/null || true
echo '@@deploy:manifest'; cat -- "$current/manifest.json" 2>/dev/null || true
echo '@@deploy:current-failed'; cat -- "$current/failed" 2>/dev/null || true
echo '@@deploy:generations'; ls -1 -- "$generations" 2>/dev/null || true
echo '@@deploy:store'; ls -1 -- "$store" 2>/dev/null || true
echo '@@deploy:watchdog'; cat -- "$watchdog_state" 2>/dev/null || true
echo '@@deploy:secret-key'
# "unreadable": the key exists but this user cannot read it (secrets need root), so nothing about versions is known.
if [ ! -L "$secret_key" ] && [ -e "$secret_key" ]; then
    cat -- "$secret_key" 2>/dev/null || echo unreadable
fi
echo '@@deploy:secret-versions'; [ -L "$secrets_dir" ] || ls -1 -- "$secrets_dir" 2>/dev/null || true
echo '@@deploy:systemd'
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo yes; else echo no; fi
echo '@@deploy:arch'; uname -m
echo '@@deploy:free'
d=$state
while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done
df -Pk -- "$d" | awk 'NR==2 {print $4}'
if [ -n "$units" ]; then
    while IFS= read -r u; do
        [ -n "$u" ] || continue
        echo "@@deploy:unit $u"
        f=$unit_dir/$u
        if [ -L "$f" ]; then
            t=$(readlink -- "$f")
            if [ "$t" = "$current/units/$u" ]; then echo ours; else echo "link $f -> $t"; fi
        elif [ -e "$f" ]; then
            echo "file $f"
        else
            found=''
            while IFS= read -r v; do
                [ -n "$v" ] || continue
                if [ -e "$v/$u" ] || [ -L "$v/$u" ]; then found=$v/$u; break; fi
            done <<DIRS
$unit_search
DIRS
            if [ -z "$found" ]; then
                # A drop-in directory of that name (an admin's override, systemctl set-property) would change
                # deploy's unit: the name is someone else's.
                while IFS= read -r v; do
                    [ -n "$v" ] || continue
                    if [ -e "$v/$u.d" ] || [ -L "$v/$u.d" ]; then found="$v/$u.d (a drop-in directory)"; break; fi
                done <<DIRS
$unit_dir
$unit_search
DIRS
            fi
            if [ -n "$found" ]; then echo "file $found"; else echo absent; fi
        fi
        if [ -e "$takenover/$u" ] || [ -L "$takenover/$u" ]; then echo saved; fi
    done <<UNITS
$units
UNITS
fi
if [ -n "$pythons" ]; then
    i=0
    while IFS= read -r py; do
        echo "@@deploy:python.$i"
        if command -v "$py" >/dev/null 2>&1; then "$py" -c "$probe" </dev/null 2>&1 || echo "exit code $?"; else echo missing; fi
        i=$((i + 1))
    done <<PYTHONS
$pythons
PYTHONS
fi
if [ -n "$accounts" ]; then
    # "missing user NAME" for each account the host lacks (NAME: a user or group name, checked on the controller)
    echo '@@deploy:accounts'
    while IFS=' ' read -r kind name; do
        [ -n "$name" ] || continue
        case $kind in
            user) db=passwd ;;
            *) db=group ;;
        esac
        if command -v getent >/dev/null 2>&1; then
            getent "$db" "$name" >/dev/null 2>&1 || echo "missing $kind $name"
        elif [ "$kind" = user ]; then
            id -u "$name" >/dev/null 2>&1 || echo "missing $kind $name"
        else
            awk -F: -v n="$name" '$1 == n {f = 1} END {exit !f}' /etc/group 2>/dev/null || echo "missing $kind $name"
        fi
    done <<ACCOUNTS
$accounts
ACCOUNTS
fi
if [ -n "$drift" ]; then sh -c "$drift" </dev/null; fi
echo '@@deploy:end'
