package dev.deploy.it.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code deploy} command line in a child JVM (this test run's class path), started through {@code sh} so
 * that a test can set what the shell sets (a umask) and kill the controller for real (SIGKILL).
 */
public final class ControllerProcess {

    private ControllerProcess() {
    }

    /** Starts {@code sh -c 'PREFIX exec java -cp ... dev.deploy.cli.Main ARGS'}; output goes to {@code log}. */
    public static Process start(String shellPrefix, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                shellPrefix + " exec \"$0\" -cp \"$DEPLOY_TEST_CLASSPATH\" dev.deploy.cli.Main \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DEPLOY_TEST_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("DEPLOY_MODULES", new File("../modules").getAbsolutePath());
        return builder.start();
    }
}
