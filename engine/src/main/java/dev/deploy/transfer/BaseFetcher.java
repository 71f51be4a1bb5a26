package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the meta lists of delta bases in one round trip (made only when some missing store path has a candidate):
 * {@code bases.sh} gets the requests on standard input and, for each base it finds, prints
 * {@code @@base TARGET BASE SIZE} and the SIZE bytes of the stored meta list (gzip): binary-safe, so names of any
 * bytes survive.
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
        StringBuilder input = new StringBuilder();
        for (DeltaBases.Request request : requests) {
            input.append(request.target()).append(' ').append(request.preferred().map(StorePath::toString).orElse("-"));
            request.sameName().forEach(path -> input.append(' ').append(path));
            input.append('\n');
        }
        HostScript script = HostScript.load(BaseFetcher.class, "bases").with("store", layout.store())
                .with("meta", layout.meta());
        CommandResult result;
        try {
            byte[] stdin = input.toString().getBytes(StandardCharsets.US_ASCII);
            result = connection.run(script.text(), out -> out.write(stdin));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "transfer", e.getMessage(), e);
        }
        if (!result.ok()) {
            return Map.of(); // a delta is an optimisation: without bases every path is sent whole
        }
        return parse(result.stdout());
    }

    /** Parses the script's output; a damaged section ends the parse (only the delta is lost). */
    static Map<StorePath, Base> parse(byte[] output) {
        Map<StorePath, Base> result = new HashMap<>();
        int position = 0;
        while (position < output.length) {
            int newline = position;
            while (newline < output.length && output[newline] != '\n') {
                newline++;
            }
            if (newline >= output.length) {
                break;
            }
            String header = new String(output, position, newline - position, StandardCharsets.US_ASCII);
            if (!header.startsWith(MARK)) {
                break;
            }
            String[] words = header.substring(MARK.length()).trim().split(" +");
            if (words.length != 3 || !StorePath.isValid(words[0]) || !StorePath.isValid(words[1])
                    || !words[2].matches("[0-9]{1,9}")) {
                break;
            }
            int size = Integer.parseInt(words[2]);
            int start = newline + 1;
            if (start + size > output.length) {
                break;
            }
            byte[] meta = gunzip(output, start, size);
            if (meta != null) {
                result.put(StorePath.parse(words[0]), new Base(StorePath.parse(words[1]), MetaList.parse(meta)));
            }
            position = start + size;
        }
        return result;
    }

    private static byte[] gunzip(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null; // a damaged list only costs the delta
        }
    }
}
