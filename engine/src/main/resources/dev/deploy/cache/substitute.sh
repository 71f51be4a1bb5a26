# The binary cache's fetch step (dev.deploy.cache.CacheSubstituter), run between transfer/push.sh (which unpacked
# standard input under the incoming directory $tmp, lists in $v) and transfer/install.sh (which verifies, seals and
# renames every store path exactly as for a push, from the same lists): the host downloads the objects it lacks
# straight from the object store with presigned URLs, checks each object's SHA-256, and places every fetched file
# as a hard link to its object. Nothing gets its final name here; a failure leaves only the incoming directory.
#
# Standard input, besides what push.sh describes (written by SubstituteStream with the push's own list writer):
#   .verify/fetch.gz             gzip; one line per object: "<sha256> <size> <presigned URL>" (size: the content's
#                                bytes)
#   .verify/exec                 objects that are also placed as executable files, one sha256 per line
#   .verify/probe                one presigned URL, fetched first: can this host reach the cache at all?
#   .verify/copies               "<first> <copy>" lines: object files to copy before placing (a second file with a
#                                content already placed: <sha256>[.x].N), so that no two files share an inode
#   .verify/place.tar.gz         hard links SP/PATH -> .objects/<sha256>[.x][.N] (.x: executable), one object file
#                                per placed file, names as raw bytes like the push's
#   SP/PATH                      symlinks, as in the push (no file content crosses the SSH connection)
# Standard output: "@@fetched <objects> <compressed bytes>"; on failure "@@missing <sha256>" or
# "@@corrupt <sha256>" lines. Messages go to standard error.
#
# The cache is not trusted for sizes either: an object may take at most size + size/128 + 64 KiB compressed (more
# than zstd's worst case) and is cut off at size + 1 bytes while it decompresses, so a substituted object (a huge
# download, a zstd "bomb") cannot fill the host's disk before its SHA-256 is checked; the probe reads 1 KiB at most.
#
# Needs curl, or python3 (http.client; urllib behind a proxy), to fetch; zstd, or python3 with libzstd.so.1
# (ctypes), to decompress. Every download has a deadline: the probe 30 s, all objects together $deadline seconds,
# and a download that makes no progress for $stall seconds fails.
#
# @param jobs      how many objects are fetched at once
# @param stall     seconds a download may go without progress before it fails
# @param deadline  seconds the whole fetch may take (no longer than the presigned URLs live)
# @exit 6 NO_TOOLS      the host has no way to fetch (curl, python3) or to decompress (zstd, python3 + libzstd)
# @exit 7 UNREACHABLE   the probe URL could not be fetched: the host cannot reach the cache
# @exit 8 FETCH_FAILED  objects could not be fetched ("@@missing" lines); nothing got its final name
# @exit 9 BAD_OBJECTS   objects did not decompress or match their SHA-256 ("@@corrupt" lines); nothing got its final name
o="$tmp/.objects"
mkdir -m 700 "$o"

cat > "$o/helper.py" <<'PYTHON'
import ctypes, ctypes.util, http.client, os, shutil, sys, threading, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

local = threading.local()
received = [0]
counting = threading.Lock()


class Counted:
    """A response read through this counts the bytes that arrived, and refuses more than limit of them."""

    def __init__(self, answer, limit):
        self.answer = answer
        self.limit = limit
        self.seen = 0

    def read(self, size=-1):
        data = self.answer.read(size if size >= 0 else self.limit + 1)
        with counting:
            received[0] += len(data)
        self.seen += len(data)
        if self.seen > self.limit:
            raise TooBig("more than %d bytes from the cache" % self.limit)
        return data


class TooBig(Exception):
    pass


def bound(size):
    """The most compressed bytes an object of size content bytes may take (above zstd's worst case)."""
    return size + size // 128 + 65536


def get(url, dest, stall, size, lib=None, headers={}):
    """GETs url into dest (through zstd when lib is given, cut off past size bytes): one kept-alive connection per
    thread and server, or urllib when a proxy is set."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in urllib.request.getproxies():
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=stall) as answer:
            save(answer, dest, lib, size)
        return
    connections = local.__dict__.setdefault("connections", {})
    for attempt in (1, 2):
        connection = connections.get(parts.netloc)
        if connection is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = connections[parts.netloc] = kind(parts.netloc, timeout=stall)
        try:
            connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers)
            answer = connection.getresponse()
        except (OSError, http.client.HTTPException):
            connection.close()
            del connections[parts.netloc]
            if attempt == 2:
                raise
            continue  # a kept-alive connection the server had closed: once more on a new one
        if answer.status not in (200, 206):
            answer.read(1 << 16)
            connection.close()
            del connections[parts.netloc]
            raise OSError("HTTP %d %s" % (answer.status, answer.reason))
        try:
            save(answer, dest, lib, size)
        except BaseException:
            connection.close()  # the rest of the body is never read: the connection cannot be reused
            del connections[parts.netloc]
            raise
        return


def save(answer, dest, lib, size):
    answer = Counted(answer, bound(size))
    try:
        with open(dest + ".part", "wb") as out:
            if lib is None:
                shutil.copyfileobj(answer, out, 1 << 16)
            else:
                decompress(lib, answer, out, size)
        os.replace(dest + ".part", dest)
    finally:
        if os.path.exists(dest + ".part"):
            os.unlink(dest + ".part")


def fetch(listing, jobs, stall, unpack):
    """Fetches every "SHA256 SIZE URL" line of listing as SHA256.zst, or, with unpack, straight to SHA256
    (decompressed while it arrives; an object that does not decompress, or is larger than it may be, leaves an empty
    SHA256.zst behind to say so, and SHA256.big when it was too large)."""
    items = [line.split(" ", 2) for line in open(listing).read().split("\n") if line]
    lib = zstd() if unpack else None

    def one(item):
        try:
            get(item[2], item[0] if unpack else item[0] + ".zst", stall, int(item[1]), lib)
        except (BadFrame, TooBig) as e:
            print("object %s: %s" % (item[0], e), file=sys.stderr)
            open(item[0] + ".zst", "wb").close()
            if isinstance(e, TooBig):
                open(item[0] + ".big", "wb").close()
        except Exception as e:
            print("object %s: %s" % (item[0], e), file=sys.stderr)

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        list(pool.map(one, items))
    with open("received", "w") as out:
        out.write("%d\n" % received[0])


class BadFrame(Exception):
    pass


def zstd():
    lib = ctypes.CDLL(ctypes.util.find_library("zstd") or "libzstd.so.1")
    lib.ZSTD_createDStream.restype = ctypes.c_void_p
    lib.ZSTD_initDStream.argtypes = [ctypes.c_void_p]
    lib.ZSTD_freeDStream.argtypes = [ctypes.c_void_p]
    lib.ZSTD_decompressStream.restype = ctypes.c_size_t
    lib.ZSTD_decompressStream.argtypes = [ctypes.c_void_p, ctypes.POINTER(Buffer), ctypes.POINTER(Buffer)]
    lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
    lib.ZSTD_isError.restype = ctypes.c_uint
    return lib


class Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_size_t), ("pos", ctypes.c_size_t)]


def decompress(lib, src, dst, limit):
    """Streams the zstd frames of file object src into file object dst with libzstd's streaming API; more than
    limit bytes of output are refused (TooBig) before they are written."""
    stream = lib.ZSTD_createDStream()
    lib.ZSTD_initDStream(stream)
    capacity = 1 << 17
    output = ctypes.create_string_buffer(capacity)
    pending = 1
    written = 0
    try:
        while True:
            chunk = src.read(1 << 17)
            if not chunk:
                break
            inb = Buffer(ctypes.cast(ctypes.c_char_p(chunk), ctypes.c_void_p), len(chunk), 0)
            while True:
                outb = Buffer(ctypes.cast(output, ctypes.c_void_p), capacity, 0)
                pending = lib.ZSTD_decompressStream(stream, ctypes.byref(outb), ctypes.byref(inb))
                if lib.ZSTD_isError(pending):
                    raise BadFrame("not a valid zstd frame")
                written += outb.pos
                if written > limit:
                    raise TooBig("decompresses to more than its %d bytes" % limit)
                dst.write(ctypes.string_at(output, outb.pos))
                if inb.pos == inb.size and outb.pos < capacity:
                    break
        if pending != 0:
            raise BadFrame("truncated zstd frame")
    finally:
        lib.ZSTD_freeDStream(stream)


def unzstd(listing):
    """Decompresses each SHA256.zst of listing's "SHA256 SIZE URL" lines to SHA256 and removes it; one that does not
    decompress to at most SIZE bytes stays (SHA256.big beside it when it was too large)."""
    lib = zstd()
    for line in open(listing).read().split("\n"):
        if not line or not os.path.exists(line.split(" ", 1)[0] + ".zst"):
            continue
        sha, size = line.split(" ")[0:2]
        name = sha + ".zst"
        try:
            with open(name, "rb") as src, open(sha + ".part", "wb") as dst:
                decompress(lib, src, dst, int(size))
            os.replace(sha + ".part", sha)
            os.unlink(name)
        except Exception as e:
            print("object %s: %s" % (sha, e), file=sys.stderr)
            if isinstance(e, TooBig):
                open(sha + ".big", "wb").close()
            if os.path.exists(name[:-4] + ".part"):
                os.unlink(name[:-4] + ".part")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "probe":
        try:
            url = open(sys.argv[2]).read().strip()
            get(url, sys.argv[3], int(sys.argv[4]), 1024, headers={"Range": "bytes=0-1023"})
        except Exception as e:
            print(e, file=sys.stderr)
            sys.exit(1)
    elif command == "fetch":
        fetch(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "unpack")
    elif command == "can-unzstd":
        zstd()
    elif command == "unzstd":
        unzstd(sys.argv[2])
PYTHON

# Tools: curl else python3 to fetch, zstd else python3 + libzstd to decompress.
if command -v curl >/dev/null 2>&1; then
    fetcher=curl
elif command -v python3 >/dev/null 2>&1; then
    fetcher=python
else
    echo "the binary cache needs curl or python3 on the host to fetch objects" >&2
    exit 6
fi
if command -v zstd >/dev/null 2>&1; then
    decompressor=zstd
elif command -v python3 >/dev/null 2>&1 && python3 "$o/helper.py" can-unzstd 2>/dev/null; then
    decompressor=python
else
    echo "the binary cache needs zstd, or python3 with libzstd.so.1, on the host to decompress objects" >&2
    exit 6
fi

cd "$o"
# Probe: one small object, with short deadlines, before anything else.
probe=$(cat "$v/probe")
if [ "$fetcher" = curl ]; then
    probed() { printf 'url = "%s"\n' "$probe" | timeout 30 curl --globoff --fail --silent --show-error \
        --connect-timeout 10 --max-time 25 --range 0-1023 --max-filesize 66560 -o probe.out --config -; }
else
    probed() { timeout 30 python3 helper.py probe "$v/probe" probe.out 10; }
fi
probed 2> probe.err || {
    echo "the host cannot reach the cache with $fetcher: $(tail -n 1 probe.err | tr -d '\r')" >&2
    exit 7
}

# Fetch every object, several at once, and decompress it: curl writes SHA256.zst and zstd turns it into SHA256;
# python3 with libzstd does both in one pass. Afterwards SHA256 is there (its hash is checked below), or
# SHA256.zst is (fetched but it does not decompress: corrupt), or neither is (could not be fetched: missing).
gzip -dc "$v/fetch.gz" > fetch.list
count=0
bytes=0
if [ -s fetch.list ]; then
    if [ "$fetcher" = curl ]; then
        # one transfer per object in a config file, each with its own size bound: one curl process for every
        # object (hex names, checked URLs; the URLs stay out of the process list); a transfer cut short leaves no
        # partial object behind to be taken for a corrupt one where curl can say so (7.83+)
        options=$(curl --help all 2>/dev/null || :)
        cut=''
        case "$options" in *--remove-on-error*) cut='remove-on-error' ;; esac
        awk -v seconds="$stall" -v cut="$cut" '{
            if (NR > 1) print "next"
            printf "url = \"%s\"\noutput = \"%s.zst\"\nmax-filesize = %.0f\n", $3, $1, $2 + int($2 / 128) + 65536
            printf "globoff\nfail\nsilent\nshow-error\nconnect-timeout = 10\nspeed-limit = 1\nspeed-time = %s\nretry = 2\n", seconds
            if (cut != "") print cut
        }' fetch.list > curl.cfg
        parallel=''
        case "$options" in *--parallel-max*) parallel=yes ;; esac
        timeout "$deadline" curl ${parallel:+--parallel --parallel-max "$jobs"} --config curl.cfg >&2 || :
        bytes=$(find . -maxdepth 1 -name '*.zst' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    else
        timeout "$deadline" python3 helper.py fetch fetch.list "$jobs" "$stall" \
            "$([ "$decompressor" = python ] && echo unpack || echo keep)" >&2 || :
        bytes=$(cat received 2>/dev/null || echo 0)
    fi
    if [ "$decompressor" = zstd ]; then
        # each object through head: what goes past its size (+1, to tell) is never written; one that does not
        # decompress, or to other bytes, fails the SHA-256 check below
        while read -r sha size url; do
            if [ -f "$sha.zst" ]; then
                zstd -d -c -q -- "$sha.zst" 2>/dev/null | head -c "$((size + 1))" > "$sha"
            fi
        done < fetch.list
    elif [ "$fetcher" = curl ]; then
        python3 helper.py unzstd fetch.list >&2 || :
    fi
fi
missing=0
corrupt=0
while read -r sha url; do
    count=$((count + 1))
    if [ -f "$sha" ]; then continue; fi
    if [ -f "$sha.zst" ]; then
        echo "@@corrupt $sha"; corrupt=$((corrupt + 1))
    else
        echo "@@missing $sha"; missing=$((missing + 1))
    fi
done < fetch.list
if [ "$missing" -gt 0 ]; then
    echo "$missing of $count objects could not be fetched from the cache" >&2
    exit 8
fi
if [ "$corrupt" -gt 0 ]; then
    big=$(find . -maxdepth 1 -name '*.big' | wc -l)
    if [ "$big" -gt 0 ]; then
        echo "$big of $count objects from the cache decompress to more than their size" >&2
    else
        echo "$corrupt of $count objects from the cache did not decompress" >&2
    fi
    exit 9
fi
# Check every object against its SHA-256 as the push checks files.
sed 's/^\([0-9a-f]*\) .*$/\1  \1/' fetch.list > objects.sha256
bad=$(sha256sum --quiet --strict -c objects.sha256 2>/dev/null | sed -n 's/^\([0-9a-f]*\): FAILED.*$/\1/p')
if [ -n "$bad" ]; then
    for sha in $bad; do echo "@@corrupt $sha"; done
    big=$(for sha in $bad; do echo "$sha $(stat -c %s -- "$sha")"; done \
        | awk 'NR == FNR { want[$1] = $2; next } $2 > want[$1] { n++ } END { print n + 0 }' fetch.list -)
    if [ "$big" -gt 0 ]; then
        echo "$big of $count objects from the cache decompress to more than their size" >&2
    else
        echo "objects from the cache do not match their SHA-256: $(echo $bad | wc -w)" >&2
    fi
    exit 9
fi
echo "@@fetched $count $bytes"
# Verified objects become read-only files; executable placements get their own copy (a mode belongs to an inode).
sed 's/ .*$//' fetch.list | xargs -r chmod 444 --
while read -r sha; do cp "$sha" "$sha.x"; chmod 555 "$sha.x"; done < "$v/exec"
# every further file with a content gets its own copy: store paths never share an inode (shared blocks at most)
while read -r first copy; do cp --reflink=auto -p -- "$first" "$copy"; done < "$v/copies"
cd "$tmp"
gzip -dc "$v/place.tar.gz" | tar -x -p --no-same-owner -f - -C "$tmp"
