package dev.deploy.activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads every generation on a host (numbers, manifests, which one is current) in one round trip. */
public final class Generations {

    private static final String MARK = "@@deploy:";

    private Generations() {
    }

    public static List<GenerationInfo> list(HostConnection connection, HostLayout layout) {
        HostScript script = HostScript.load(Generations.class, "generations").with("state", layout.stateDir());
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

    static List<GenerationInfo> parse(String host, String output) {
        List<GenerationInfo> generations = new ArrayList<>();
        String current = "";
        Integer number = null;
        StringBuilder manifest = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (number != null) {
                    generations.add(info(host, number, current, manifest.toString()));
                }
                number = null;
                manifest.setLength(0);
                String rest = line.substring(MARK.length());
                if (rest.startsWith("current ")) {
                    current = rest.substring("current ".length()).strip();
                } else if (rest.startsWith("generation ")) {
                    number = Integer.parseInt(rest.substring("generation ".length()).strip());
                }
            } else if (number != null) {
                manifest.append(line).append('\n');
            }
        }
        return generations;
    }

    private static GenerationInfo info(String host, int number, String current, String manifestText) {
        boolean isCurrent = current.equals("generations/" + number) || current.endsWith("/generations/" + number);
        try {
            GenerationManifest manifest = manifestText.isBlank() ? null : GenerationManifest.fromJson(manifestText);
            return new GenerationInfo(number, isCurrent, manifest);
        } catch (JsonProcessingException e) {
            return new GenerationInfo(number, isCurrent, null);
        }
    }
}
