package dev.deploy.transfer;

import java.util.HashMap;
import java.util.Map;

/**
 * The files of a store path as its host recorded them when it sealed the path ({@code STATE/store/.meta/<path>}: the
 * entry list and the checksum list it was verified against, see {@link VerificationLists}): each file's SHA-256 and
 * executable bit by relative path. Lines that do not parse are skipped: a file missing here is simply sent again,
 * and the host verifies everything it links anyway.
 */
public record MetaList(Map<String, FileState> files) {

    /** What a delta compares: content hash and executable bit. */
    public record FileState(String sha256, boolean executable) {
    }

    public static MetaList parse(String text) {
        Map<String, Boolean> executable = new HashMap<>();
        Map<String, String> sums = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("f 444 ")) {
                executable.put(line.substring(6), false);
            } else if (line.startsWith("f 555 ")) {
                executable.put(line.substring(6), true);
            } else if (line.startsWith("\\") && line.length() > 69 && line.startsWith("  ./", 65)) {
                sums.put(line.substring(69).replace("\\\\", "\\"), line.substring(1, 65));
            } else if (line.length() > 68 && line.startsWith("  ./", 64) && isHex(line.substring(0, 64))) {
                sums.put(line.substring(68), line.substring(0, 64));
            }
        }
        Map<String, FileState> files = new HashMap<>();
        executable.forEach((path, exec) -> {
            String sha = sums.get(path);
            if (sha != null) {
                files.put(path, new FileState(sha, exec));
            }
        });
        return new MetaList(Map.copyOf(files));
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
