package dev.deploy.module;

import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlValue;
import java.util.List;
import java.util.Optional;

/**
 * A long-running service a module contributes; becomes a systemd unit. Text fields are templates evaluated in the
 * declaring module. {@code environment} is a list of parts merged in order (a later part wins): each is either a
 * map of variable to template, or a scalar {@code ${option}} naming a {@code map} option whose entries are added.
 */
public record ServiceDecl(String name, Location location, YamlValue exec, Optional<YamlValue> description,
                          List<YamlValue> environment, Optional<YamlValue> user,
                          Optional<YamlValue> workingDirectory, Optional<YamlValue> stateDirectory,
                          String restart, List<String> after, Optional<HealthCheckDecl> healthCheck) {
}
