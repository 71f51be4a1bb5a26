# Builds one Python source distribution into a wheel on the host, for the host's own interpreter and platform, in
# one round trip. The archive (an sdist, or a source tree deploy packed like one) arrives on stdin; the wheel goes
# back on stdout: its file name on the first line, then its bytes in base64. Nothing is left behind (a temporary
# directory, removed on exit). No network and no build isolation: the host has no index to fetch a build backend
# from, so the backend (setuptools, hatchling, poetry-core, ...) must already be installed for the interpreter.
#
# @param py    the interpreter to build for (the venv's)
# @param name  the archive's file name, e.g. secp256k1-0.14.0.tar.gz
# @exit 4 NO_PIP        pip is not installed for the interpreter
# @exit 5 BUILD_FAILED  pip wheel failed; its output is on stderr
# @exit 6 NO_WHEEL      pip wheel succeeded but made no wheel
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/$name"
"$py" -m pip --version >/dev/null 2>&1 || { echo "pip is not installed for $py" >&2; exit 4; }
cd "$tmp"
"$py" -m pip wheel --no-deps --no-index --no-build-isolation --no-cache-dir -w "$tmp/out" "$tmp/$name" \
    > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 5; }
set -- "$tmp"/out/*.whl
[ -f "$1" ] || { echo 'pip wheel made no wheel' >&2; exit 6; }
basename "$1"
base64 < "$1"
