package dev.deploy.it.hosts;

import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

/**
 * Access to the local docker engine through Testcontainers, after checking that Testcontainers is configured not
 * to reach for images we cannot pull: no registry is reachable from our machines, so Ryuk (the reaper container),
 * the start-up checks and the default-gateway probe (alpine containers; the probe runs when /.dockerenv exists, as
 * it does on our machines) must be off. The it-tests surefire configuration sets all three.
 */
final class DockerEnvironment {

    /** Environment variables Testcontainers only reads from the environment (not from a classpath file). */
    static final Map<String, String> REQUIRED_ENV = Map.of(
            "TESTCONTAINERS_RYUK_DISABLED", "true",
            "TESTCONTAINERS_CHECKS_DISABLE", "true",
            "TESTCONTAINERS_HOST_OVERRIDE", "localhost");

    private DockerEnvironment() {
    }

    /** The docker client, or an exception that says how to get a working environment. */
    static DockerClient client() {
        REQUIRED_ENV.forEach((variable, value) -> {
            if (!value.equalsIgnoreCase(System.getenv(variable))) {
                throw new IllegalStateException(variable + "=" + value + " must be set: without it Testcontainers"
                        + " tries to pull an image from Docker Hub, which is unreachable here. Run the tests through"
                        + " Maven (the it-tests surefire configuration sets it) or export it.");
            }
        });
        try {
            return DockerClientFactory.instance().client();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no docker engine answers on unix:///var/run/docker.sock;"
                    + " start one with .ci/start-docker.sh", e);
        }
    }
}
