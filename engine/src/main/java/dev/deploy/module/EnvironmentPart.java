package dev.deploy.module;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.util.Map;

/** One part of a service's {@code environment}: literal entries, or a {@code ${option}} naming a {@code map} option. */
public sealed interface EnvironmentPart {

    /** Variables written in the module, each a template; names were checked when it was loaded. */
    record Entries(Map<String, Template> entries, YamlMap keys) implements EnvironmentPart {
    }

    /** A {@code map} option whose entries are added; its keys are checked when it is evaluated. */
    record MapOption(Reference reference, YamlValue at) implements EnvironmentPart {
    }
}
