package dev.deploy.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostFacts;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads every generation on a host (numbers, manifests, failure marks, which one is current) in one round trip.
 */
public final class Generations {

    private static final String MARK = "@@deploy:";

    private Generations() {
    }

    public static List<GenerationInfo> list(HostConnection connection, HostLayout layout) {
        HostScript script = HostScript.load(Generations.class, "generations")
                .with("current", layout.current())
                .with("generations", layout.generations());
        CommandResult result;
        try {
            result = connection.run(script.text());
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "list generations", e.getMessage(), e);
        }
        if (!result.ok()) {
            throw DeployException.host(connection.hostName(), "list generations", result.lastErrorLine());
        }
        return parse(connection.hostName(), result.stdoutText());
    }

    /**
     * Parses the listing.
     *
     * @throws DeployException of kind HOST for a generation number deploy cannot use (odd host state)
     */
    static List<GenerationInfo> parse(String host, String output) {
        List<GenerationInfo> generations = new ArrayList<>();
        String current = "";
        Integer number = null;
        StringBuilder manifest = new StringBuilder();
        StringBuilder failure = null;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                String rest = line.substring(MARK.length());
                if (rest.startsWith("failed ")) {
                    failure = new StringBuilder();
                    continue;
                }
                if (number != null) {
                    generations.add(info(number, current, manifest.toString(), failure));
                }
                number = null;
                failure = null;
                manifest.setLength(0);
                if (rest.startsWith("current ")) {
                    current = rest.substring("current ".length()).strip();
                } else if (rest.startsWith("generation ")) {
                    String name = rest.substring("generation ".length()).strip();
                    number = HostFacts.generationNumber(host, name, "generations/" + name);
                }
            } else if (failure != null) {
                failure.append(line).append(' ');
            } else if (number != null) {
                manifest.append(line).append('\n');
            }
        }
        return generations;
    }

    private static GenerationInfo info(int number, String current, String manifestText, StringBuilder failure) {
        boolean isCurrent = current.equals("generations/" + number) || current.endsWith("/generations/" + number);
        Optional<String> failed = failure == null ? Optional.empty()
                : Optional.of(failure.toString().strip()).map(s -> s.isEmpty() ? "failed" : s);
        GenerationManifest manifest;
        try {
            manifest = manifestText.isBlank() ? null : GenerationManifest.fromJson(manifestText);
        } catch (JsonProcessingException e) {
            manifest = null;
        }
        return new GenerationInfo(number, isCurrent, manifest, failed);
    }
}
