package dev.deploy.transfer;

import dev.deploy.store.FileNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a store path as its host recorded them when it sealed the path ({@code STATE/store/.meta/<path>}: the
 * entry list and the checksum list it was verified against, see {@link VerificationLists}): each file's SHA-256 and
 * executable bit by relative path ({@link FileNames} strings). Reads the byte-exact format (NUL-terminated entries,
 * then one hex sum line per file) and the line format of earlier versions. Whatever does not parse is skipped: a
 * file missing here is simply sent again, and the host verifies everything it links anyway.
 */
public record MetaList(Map<String, FileState> files) {

    /** What a delta compares: content hash and executable bit. */
    public record FileState(String sha256, boolean executable) {
    }

    /** Parses a meta list's (decompressed) bytes. */
    public static MetaList parse(byte[] bytes) {
        int lastNul = -1;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == 0) {
                lastNul = i;
                break;
            }
        }
        if (lastNul < 0) {
            return parseLines(new String(bytes, StandardCharsets.UTF_8));
        }
        List<String> files = new ArrayList<>();
        List<Boolean> executable = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= lastNul; i++) {
            if (bytes[i] != 0) {
                continue;
            }
            if (i - start > 6 && bytes[start] == 'f' && bytes[start + 1] == ' ' && bytes[start + 5] == ' ') {
                String mode = new String(bytes, start + 2, 3, StandardCharsets.US_ASCII);
                if (mode.equals("444") || mode.equals("555")) {
                    files.add(FileNames.decode(bytes, start + 6, i - start - 6));
                    executable.add(mode.equals("555"));
                }
            }
            start = i + 1;
        }
        String[] sums = new String(bytes, lastNul + 1, bytes.length - lastNul - 1, StandardCharsets.US_ASCII)
                .split("\n");
        Map<String, FileState> result = new HashMap<>();
        if (sums.length == files.size() || (files.isEmpty() && sums.length == 1 && sums[0].isEmpty())) {
            for (int i = 0; i < files.size(); i++) {
                if (isHex(sums[i])) {
                    result.put(files.get(i), new FileState(sums[i], executable.get(i)));
                }
            }
        }
        return new MetaList(Map.copyOf(result));
    }

    /** The line format written before names became bytes ({@code f 444 PATH} lines, then sha256sum lines). */
    static MetaList parseLines(String text) {
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
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
