package dev.deploy.module;

import dev.deploy.Location;
import java.util.List;
import java.util.Optional;

/**
 * A long-running service a module contributes; becomes a systemd unit. Text fields are templates evaluated in the
 * declaring module. {@code exec} is a command line (systemd's syntax; each value one argument). {@code environment}
 * is a list of parts merged in order (a later part wins). {@code secrets} names secrets the service receives
 * ({@code NAME} of the declaring module or {@code MODULE.NAME}): an env secret through {@code EnvironmentFile=}, a
 * file secret also through {@code LoadCredential=NAME:PATH} (for {@code dynamicUser} services).
 */
public record ServiceDecl(String name, Location location, Template exec, Optional<Template> description,
                          List<EnvironmentPart> environment, Optional<Template> user,
                          Optional<Template> workingDirectory, Optional<Template> stateDirectory,
                          String restart, List<String> after, Optional<HealthCheckDecl> healthCheck,
                          List<SecretRef> secrets, boolean dynamicUser) {

    /** A secret named in a service's {@code secrets:} list, where it was written. */
    public record SecretRef(String module, String name, dev.deploy.yaml.YamlValue at) {
    }
}
