package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.plan.HostDiffs;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.PreviousVersions;
import dev.deploy.store.FileNames;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads, in one round trip ({@code previous.sh}), what both the delta transfer and the plan's diff need from a host:
 * the delta bases of the store paths to add (as {@link BaseFetcher}) and, for the roots and units the plan replaces,
 * the checksum list of each old store path and the text of each old single-file one (never of a hidden one: see
 * {@link HostDiffs#wanted}). Made only when there is something to ask; a failed or damaged answer only costs the
 * delta and the diff, never the apply.
 */
public final class PreviousFetcher {

    /** What the host returned: bases by target store path, and the diff's inputs. */
    public record Fetched(Map<StorePath, BaseFetcher.Base> bases, PreviousVersions previous) {

        public static final Fetched NOTHING = new Fetched(Map.of(), PreviousVersions.NONE);
    }

    private PreviousFetcher() {
    }

    /** Bases for {@code plan}'s store paths to add and the old versions {@code wanted} names. */
    public static Fetched fetch(HostConnection connection, HostLayout layout, HostPlan plan,
                                HostDiffs.Wanted wanted) {
        List<DeltaBases.Request> requests = plan.toAdd().isEmpty() ? List.of()
                : DeltaBases.requests(plan);
        String input = requests(requests, wanted);
        if (input.isEmpty()) {
            return Fetched.NOTHING;
        }
        HostScript script = HostScript.load(PreviousFetcher.class, "previous").with("store", layout.store())
                .with("meta", layout.meta());
        CommandResult result;
        try {
            byte[] stdin = input.getBytes(StandardCharsets.US_ASCII);
            result = connection.run(script.text(), out -> out.write(stdin));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "read previous versions", e.getMessage(), e);
        }
        if (!result.ok()) {
            return Fetched.NOTHING; // only the delta and the diff are lost
        }
        return parse(result.stdout());
    }

    /** The script's standard input: base requests, then meta lists not already asked for as preferred bases. */
    static String requests(List<DeltaBases.Request> bases, HostDiffs.Wanted wanted) {
        StringBuilder input = new StringBuilder();
        Set<StorePath> preferred = new HashSet<>();
        for (DeltaBases.Request request : bases) {
            input.append("b ").append(request.target()).append(' ')
                    .append(request.preferred().map(StorePath::toString).orElse("-"));
            request.sameName().forEach(path -> input.append(' ').append(path));
            input.append('\n');
            request.preferred().ifPresent(preferred::add);
        }
        for (StorePath path : wanted.files()) {
            if (!preferred.contains(path)) {
                input.append("m ").append(path).append('\n');
            }
        }
        for (StorePath path : wanted.texts()) {
            input.append("t ").append(path).append(' ').append(HostDiffs.MAX_TEXT_BYTES).append('\n');
        }
        return input.toString();
    }

    /** Parses the script's output; a damaged section ends the parse. */
    static Fetched parse(byte[] output) {
        Map<StorePath, BaseFetcher.Base> bases = new HashMap<>();
        Map<StorePath, Map<String, PreviousVersions.FileSum>> files = new HashMap<>();
        Map<StorePath, Map<String, String>> others = new HashMap<>();
        Map<StorePath, byte[]> texts = new HashMap<>();
        int position = 0;
        while (position < output.length) {
            int newline = position;
            while (newline < output.length && output[newline] != '\n') {
                newline++;
            }
            if (newline >= output.length) {
                break;
            }
            String[] words = new String(output, position, newline - position, StandardCharsets.US_ASCII)
                    .split(" ");
            String size = words[words.length - 1];
            if (words.length < 3 || !size.matches("[0-9]{1,9}") || !Arrays.stream(words, 1, words.length - 1)
                    .allMatch(StorePath::isValid)) {
                break;
            }
            int start = newline + 1;
            int length = Integer.parseInt(size);
            if (start + length > output.length) {
                break;
            }
            byte[] body = Arrays.copyOfRange(output, start, start + length);
            StorePath first = StorePath.parse(words[1]);
            switch (words[0]) {
                case "@@base" -> {
                    if (words.length != 4) {
                        return new Fetched(bases, new PreviousVersions(files, others, texts));
                    }
                    byte[] list = gunzip(body);
                    if (list != null) {
                        MetaList meta = MetaList.parse(list);
                        StorePath base = StorePath.parse(words[2]);
                        bases.put(first, new BaseFetcher.Base(base, meta));
                        files.put(base, sums(meta));
                        others.put(base, others(list));
                    }
                }
                case "@@meta" -> {
                    byte[] list = gunzip(body);
                    if (list != null) {
                        files.put(first, sums(MetaList.parse(list)));
                        others.put(first, others(list));
                    }
                }
                case "@@text" -> texts.put(first, body);
                default -> {
                    return new Fetched(bases, new PreviousVersions(files, others, texts));
                }
            }
            position = start + length;
        }
        return new Fetched(bases, new PreviousVersions(files, others, texts));
    }

    private static Map<String, PreviousVersions.FileSum> sums(MetaList meta) {
        Map<String, PreviousVersions.FileSum> sums = new HashMap<>();
        meta.files().forEach((path, state) -> sums.put(path, new PreviousVersions.FileSum(state.sha256(),
                state.executable())));
        return sums;
    }

    private static byte[] gunzip(byte[] gzip) {
        if (gzip.length == 0) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The directories ({@code "d"}) and symlinks ({@code "l TARGET"}) of a meta list's NUL-terminated entry records
     * ({@code d 755 PATH}, {@code l 777 PATH//TARGET}; see {@link VerificationLists}); the line format of older
     * lists has none.
     */
    static Map<String, String> others(byte[] list) {
        Map<String, String> others = new HashMap<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] != 0) {
                continue;
            }
            int length = i - start;
            if (length > 6 && list[start + 1] == ' ' && list[start + 5] == ' ') {
                if (list[start] == 'd') {
                    others.put(FileNames.decode(list, start + 6, length - 6), "d");
                } else if (list[start] == 'l') {
                    for (int j = start + 6; j + 1 < i; j++) {
                        if (list[j] == '/' && list[j + 1] == '/') {
                            others.put(FileNames.decode(list, start + 6, j - start - 6),
                                    "l " + FileNames.decode(list, j + 2, i - j - 2));
                            break;
                        }
                    }
                }
            }
            start = i + 1;
        }
        return others;
    }
}
