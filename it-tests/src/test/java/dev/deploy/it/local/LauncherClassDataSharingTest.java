package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The checkout's launcher {@code ./deploy} starts from the class-data-sharing archive the build recorded
 * (cli/pom.xml: class-file-upgrade, cds-training), picocli included: its Java 5 class files are rewritten as version
 * 52 at build time, because the JVM never archives classes older than version 50 (docs/BENCHMARKS.md, start-up).
 */
class LauncherClassDataSharingTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void picocliAndTheCliAreLoadedFromTheLaunchersArchiveNotFromTheirJars() throws Exception {
        List<String> loaded = classLoadLog("--version");

        assertThat(sourceOf(loaded, "picocli.CommandLine")).contains("shared objects file");
        assertThat(sourceOf(loaded, "picocli.CommandLine$Help")).contains("shared objects file");
        assertThat(sourceOf(loaded, "dev.deploy.cli.Main")).contains("shared objects file");
        assertThat(loaded.stream().filter(line -> line.contains(" picocli.") && line.contains("source: jar:")))
                .as("picocli classes read from the jar instead of the archive").isEmpty();
    }

    @Test
    void theUpgradedPicocliStillParsesAndReportsAMistypedCommand() throws Exception {
        Process process = launcher(List.of("aply")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(output).contains("apply").doesNotContain("VerifyError", "Exception");
    }

    private static List<String> classLoadLog(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = launcher(List.of(args));
        builder.environment().put("DEPLOY_JAVA_OPTS", "-Xlog:class+load=info");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().collect(Collectors.toList());
    }

    private static ProcessBuilder launcher(List<String> args) {
        assertThat(REPO.resolve("cli/target/deploy.jsa")).as("the build's archive").isRegularFile();
        List<String> command = new ArrayList<>(List.of(REPO.resolve("deploy").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("DEPLOY_JAVA_OPTS");
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", ""));
        return builder;
    }

    private static String sourceOf(List<String> loaded, String className) {
        return loaded.stream().filter(line -> line.contains("] " + className + " source: ")).findFirst()
                .orElse(className + " was not loaded");
    }
}
