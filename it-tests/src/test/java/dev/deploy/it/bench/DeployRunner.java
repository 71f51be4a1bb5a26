package dev.deploy.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the built CLI as its own process the way a user would, so wall time includes JVM start-up and peak RSS is the
 * controller's: through the launcher {@code ./deploy} with its default JVM options (extra ones in
 * {@code DEPLOY_JAVA_OPTS}), or, for comparison, as {@code java [OPTS] -cp deploy.jar:lib/* dev.deploy.cli.Main}
 * with the JVM's own defaults. Bytes and round trips come from the per-host {@code transport} counters of the JSON
 * document, plus what the run uploaded to a binary cache.
 */
final class DeployRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final boolean launcher;
    private final List<String> javaOptions;

    private DeployRunner(Path jar, boolean launcher, List<String> javaOptions) {
        this.jar = jar;
        this.launcher = launcher;
        this.javaOptions = List.copyOf(javaOptions);
    }

    /** {@code ./deploy} beside {@code cli/target/deploy.jar}'s checkout, with the launcher's JVM options. */
    static DeployRunner launcher(Path jar) {
        return new DeployRunner(jar, true, List.of());
    }

    /** The jar under the JVM's defaults: what the launcher's options are measured against. */
    DeployRunner plainJvm() {
        return new DeployRunner(jar, false, javaOptions);
    }

    /** The same CLI run with extra JVM options (a heap cap, flight recording). */
    DeployRunner withJavaOptions(List<String> extra) {
        List<String> all = new ArrayList<>(javaOptions);
        all.addAll(extra);
        return new DeployRunner(jar, launcher, all);
    }

    Measurement apply(Path inventory, int parallel) {
        return measure(List.of("apply", "--json", "--no-color", "--parallel", String.valueOf(parallel),
                inventory.toString()), true);
    }

    /** {@code deploy push-cache}: fills the inventory's binary cache (set-up, not measured). */
    void pushCache(Path inventory) {
        TimedProcess.run(command(List.of("push-cache", "--json", "--no-color", inventory.toString())))
                .requireSuccess("deploy push-cache " + inventory);
    }

    Measurement plan(Path inventory) {
        return measure(List.of("plan", "--json", "--no-color", inventory.toString()), false);
    }

    /** {@code deploy --version}: JVM start-up plus picocli, no work. */
    TimedProcess.Result version() {
        return TimedProcess.run(command(List.of("--version"))).requireSuccess("deploy --version");
    }

    private Measurement measure(List<String> arguments, boolean apply) {
        TimedProcess.Result result = TimedProcess.run(command(arguments)).requireSuccess("deploy " + arguments);
        try {
            JsonNode doc = JSON.readTree(result.stdout());
            // the controller's upload to a binary cache is bytes it sends too
            long sent = doc.path("cacheUpload").path("bytesUploaded").asLong(0);
            long trips = 0;
            long artifact = 0;
            for (JsonNode host : doc.get("hosts")) {
                if (host.has("error") && !host.get("error").isNull()) {
                    throw new IllegalStateException("deploy failed on " + host.get("host") + ": " + host.get("error"));
                }
                JsonNode transport = host.get("transport");
                sent += transport.get("bytesSent").asLong();
                trips = Math.max(trips, transport.get("roundTrips").asLong());
                artifact += apply ? host.get("bytesSent").asLong() : 0;
            }
            return new Measurement(result.wallSeconds(), sent, trips, result.peakRssKiB(), artifact,
                    result.cpuSeconds());
        } catch (IOException e) {
            throw new UncheckedIOException("deploy printed no JSON document: " + result.stdout(), e);
        }
    }

    private List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (launcher) {
            // cli/target/deploy.jar -> the checkout's ./deploy; env execs it, so the timed process stays the JVM
            command.add("env");
            command.add("DEPLOY_JAVA_OPTS=" + String.join(" ", javaOptions));
            command.add(jar.toAbsolutePath().getParent().getParent().getParent().resolve("deploy").toString());
            command.addAll(arguments);
            return command;
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        // the jar's manifest has no Class-Path: its dependencies are in lib/ beside it (cli/pom.xml)
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + "/*");
        command.add("dev.deploy.cli.Main");
        command.addAll(arguments);
        return command;
    }
}
