package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.Shell;
import dev.deploy.host.ShellScript;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the meta lists of delta bases in one round trip (made only when some missing store path has a candidate):
 * for each request the host picks the preferred candidate if it has a meta list, else the candidate whose meta list
 * is newest, and prints {@code @@base TARGET BASE} and that list; the whole answer is gzip-compressed.
 */
public final class BaseFetcher {

    /** A store path on the host that a missing path can be built from, with what its files are. */
    public record Base(StorePath path, MetaList meta) {
    }

    private static final String MARK = "@@base ";

    private BaseFetcher() {
    }

    /** Bases by target store path; targets without a usable base are absent. */
    public static Map<StorePath, Base> fetch(HostConnection connection, HostLayout layout,
                                             List<DeltaBases.Request> requests) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        ShellScript script = new ShellScript()
                .raw("set -u")
                .let("store", layout.store())
                .raw("meta=\"$store/.meta\"")
                .raw("{");
        for (DeltaBases.Request request : requests) {
            script.let("t", request.target().toString())
                    .let("p", request.preferred().map(StorePath::toString).orElse(""))
                    .raw("b=''")
                    .raw("if [ -n \"$p\" ] && [ -f \"$meta/$p\" ] && [ -d \"$store/$p\" ]; then b=$p; fi");
            if (!request.sameName().isEmpty()) {
                String names = request.sameName().stream().map(p -> Shell.quote(p.toString()))
                        .collect(Collectors.joining(" "));
                script.raw("if [ -z \"$b\" ] && [ -d \"$meta\" ]; then b=$(cd \"$meta\" && ls -1t -- " + names
                        + " 2>/dev/null | head -n 1) || b=''; fi");
            }
            script.raw("if [ -n \"$b\" ] && [ -d \"$store/$b\" ]; then printf '" + MARK + "%s %s\\n' \"$t\" \"$b\";"
                    + " gzip -dc \"$meta/$b\" || true; echo; fi");
        }
        script.raw("} | gzip -c");
        CommandResult result;
        try {
            result = connection.run(script.text());
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "transfer", e.getMessage(), e);
        }
        if (!result.ok()) {
            return Map.of(); // a delta is an optimisation: without bases every path is sent whole
        }
        return parse(gunzip(result.stdout()));
    }

    static Map<StorePath, Base> parse(String output) {
        Map<StorePath, StringBuilder> sections = new HashMap<>();
        Map<StorePath, StorePath> bases = new HashMap<>();
        StringBuilder section = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(MARK)) {
                String[] words = line.substring(MARK.length()).split(" ");
                section = null;
                if (words.length == 2 && StorePath.isValid(words[0]) && StorePath.isValid(words[1])) {
                    StorePath target = StorePath.parse(words[0]);
                    bases.put(target, StorePath.parse(words[1]));
                    section = new StringBuilder();
                    sections.put(target, section);
                }
            } else if (section != null) {
                section.append(line).append('\n');
            }
        }
        Map<StorePath, Base> result = new HashMap<>();
        bases.forEach((target, base) -> result.put(target, new Base(base, MetaList.parse(sections.get(target)
                .toString()))));
        return result;
    }

    private static String gunzip(byte[] bytes) {
        if (bytes.length == 0) {
            return "";
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // a damaged answer only costs the delta
        }
    }
}
