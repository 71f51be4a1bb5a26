package dev.deploy.module;

import dev.deploy.yaml.Location;
import java.util.List;
import java.util.Optional;

/**
 * A long-running service a module contributes; becomes a systemd unit. Text fields are templates evaluated in the
 * declaring module. {@code exec} is a command line (systemd's syntax; each value one argument). {@code environment}
 * is a list of parts merged in order (a later part wins).
 */
public record ServiceDecl(String name, Location location, Template exec, Optional<Template> description,
                          List<EnvironmentPart> environment, Optional<Template> user,
                          Optional<Template> workingDirectory, Optional<Template> stateDirectory,
                          String restart, List<String> after, Optional<HealthCheckDecl> healthCheck) {
}
