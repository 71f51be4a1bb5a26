# Writes secret versions on a host, under the deploy lock, before the switch. Values arrive on stdin, never on a
# command line: the first line is the naming key (hex) the controller used; each further line is
# NAME OWNER GROUP MODE BASE64 for one version to write. printf is a shell builtin, so a value never shows in ps.
#
# STATE/secrets is root's, 0711 (nobody can list it; a version's name is its keyed hash); STATE/secrets/key is
# root's, 0600, written once. (A local target run by another user keeps them as that user's; chown to another
# owner then fails with chown's message.) Each version is written under a temporary name created 0600 (umask 077 in a
# subshell), given its owner, group and mode explicitly, then renamed into place.
#
# @param dir       STATE/secrets
# @param key_file  STATE/secrets/key
# @exit 31 KEY_DIFFERS   the host has another naming key than the one the versions were named with
# @exit 32 WRITE_FAILED  a directory or version could not be written (the last line says why)
set -u
fail() {
    printf '%s\n' "$2" >&2
    exit "$1"
}
root=0
[ "$(id -u)" = 0 ] && root=1
if [ -L "$dir" ]; then
    fail 32 "$dir is a symbolic link"
fi
if [ ! -d "$dir" ]; then
    out=$(mkdir -m 0711 -- "$dir" 2>&1) || fail 32 "$out"
fi
if [ "$root" = 1 ]; then
    out=$(chown 0:0 -- "$dir" 2>&1) || fail 32 "$out"
fi
out=$(chmod 0711 -- "$dir" 2>&1) || fail 32 "$out"

IFS= read -r key || fail 32 "no key on stdin"
if [ -e "$key_file" ] || [ -L "$key_file" ]; then
    [ ! -L "$key_file" ] && [ -f "$key_file" ] || fail 32 "$key_file is not a regular file"
    have=$(cat -- "$key_file") || fail 32 "cannot read $key_file"
    [ "$have" = "$key" ] || fail 31 "$key_file is not the key deploy read from this host (damaged, or replaced while deploy ran): move it away to start a new key (every secret is then sent again)"
else
    tmp=$dir/.key.new
    rm -f -- "$tmp"
    (umask 077 && printf '%s\n' "$key" >"$tmp") || fail 32 "cannot write $tmp"
    if [ "$root" = 1 ]; then
        out=$(chown 0:0 -- "$tmp" 2>&1) || fail 32 "$out"
    fi
    out=$(chmod 0600 -- "$tmp" 2>&1) || fail 32 "$out"
    # ln refuses to replace an existing name: the key is created once.
    out=$(ln -- "$tmp" "$key_file" 2>&1) || fail 31 "$out"
    rm -f -- "$tmp"
fi

count=0
while IFS=' ' read -r name owner group mode data; do
    [ -n "$name" ] || continue
    case $name in
        .* | */* | *[!A-Za-z0-9._@+-]*) fail 32 "not a secret version name: $name" ;;
    esac
    case $mode in
        0[0-7][0-7][0-7]) ;;
        *) fail 32 "not a mode: $mode" ;;
    esac
    tmp=$dir/.new-$name
    rm -f -- "$tmp"
    (umask 077 && printf '%s\n' "$data" | base64 -d >"$tmp") || fail 32 "cannot write the version $name"
    out=$(chown -- "$owner:$group" "$tmp" 2>&1) || { rm -f -- "$tmp"; fail 32 "$out"; }
    out=$(chmod -- "$mode" "$tmp" 2>&1) || { rm -f -- "$tmp"; fail 32 "$out"; }
    out=$(mv -f -- "$tmp" "$dir/$name" 2>&1) || fail 32 "$out"
    count=$((count + 1))
done
echo "@@deploy:written $count"
