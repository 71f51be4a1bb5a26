package dev.deploy.module;

import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A long-running service a module contributes; becomes a systemd unit. Text fields are templates evaluated in the
 * declaring module.
 */
public record ServiceDecl(String name, Location location, YamlValue exec, Optional<YamlValue> description,
                          Map<String, YamlValue> environment, Optional<YamlValue> user,
                          Optional<YamlValue> workingDirectory, Optional<YamlValue> stateDirectory,
                          String restart, List<String> after, Optional<HealthCheckDecl> healthCheck) {
}
