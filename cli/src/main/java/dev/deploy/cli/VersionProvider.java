package dev.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code deploy --version}: the version and git commit the build recorded (cli/pom.xml writes
 * {@code dev/deploy/cli/build.properties} with the Maven version and {@code dev/deploy/cli/commit.txt} with
 * {@code git describe --always --dirty}), then the Java runtime, e.g.
 * <pre>
 * deploy 0.1.0-SNAPSHOT (commit 1d639ed)
 * Java 17.0.15 (Debian), Linux amd64
 * </pre>
 * A build from a tree with uncommitted changes says {@code 1d639ed-dirty}; a build outside a git checkout says
 * {@code commit unknown}.
 */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {versionLine(), runtimeLine()};
    }

    static String versionLine() {
        Properties build = new Properties();
        String commit;
        try (InputStream properties = VersionProvider.class.getResourceAsStream("build.properties");
             InputStream commitFile = VersionProvider.class.getResourceAsStream("commit.txt")) {
            if (properties != null) {
                build.load(properties);
            }
            commit = commitFile == null ? "" : new String(commitFile.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = build.getProperty("version", "");
        if (version.isEmpty() || version.startsWith("${")) {
            version = "(unknown version: not built by Maven)";
        }
        // git describe prints one word (a hash, maybe -dirty); anything else is not a commit
        return "deploy " + version + " (commit " + (commit.matches("[0-9a-f]{7,40}(-dirty)?") ? commit : "unknown")
                + ")";
    }

    private static String runtimeLine() {
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
