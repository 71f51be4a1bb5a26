package dev.deploy.it.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.command.InspectImageResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a test-host image is present locally and built from the current recipe, so that Testcontainers never
 * tries to pull it and a test never runs on a host built by an older {@code build-image.sh}.
 */
final class TestHostImages {

    private static final Logger LOG = LoggerFactory.getLogger(TestHostImages.class);

    /** The label build-image.sh puts on each image: the sha256 of the script itself. */
    static final String RECIPE_LABEL = "dev.deploy.testhost.recipe";
    /** System property naming the build script; the it-tests pom sets it. */
    static final String BUILD_SCRIPT_PROPERTY = "deploy.testhost.buildScript";
    private static final String BUILD_COMMAND = ".ci/start-docker.sh && it-tests/hosts/build-image.sh (as root)";

    private TestHostImages() {
    }

    /** Throws with instructions unless {@code image} exists locally with the recipe label of the current script. */
    static void requireCurrent(DockerClient docker, TestHostImage image) {
        InspectImageResponse inspected;
        try {
            inspected = docker.inspectImageCmd(image.reference()).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("test-host image " + image.reference() + " does not exist locally; "
                    + "build it with " + BUILD_COMMAND, e);
        }
        Optional<Path> script = buildScript();
        if (script.isEmpty()) {
            LOG.warn("build-image.sh not found (set -D{}); cannot tell whether {} is current",
                    BUILD_SCRIPT_PROPERTY, image.reference());
            return;
        }
        String expected = sha256(script.get());
        Map<String, String> labels = inspected.getConfig() == null ? null : inspected.getConfig().getLabels();
        String actual = labels == null ? null : labels.get(RECIPE_LABEL);
        if (!expected.equals(actual)) {
            throw new IllegalStateException("test-host image " + image.reference() + " was built from another"
                    + " version of " + script.get() + " (image recipe " + actual + ", script " + expected + "); "
                    + "rebuild it with " + BUILD_COMMAND);
        }
    }

    private static Optional<Path> buildScript() {
        String configured = System.getProperty(BUILD_SCRIPT_PROPERTY);
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
        }
        // Run from the it-tests module (surefire's default) or from the repository root.
        return Optional.of(Path.of("hosts/build-image.sh")).filter(Files::isRegularFile)
                .or(() -> Optional.of(Path.of("it-tests/hosts/build-image.sh")).filter(Files::isRegularFile));
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
