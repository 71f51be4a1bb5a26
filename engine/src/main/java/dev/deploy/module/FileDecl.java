package dev.deploy.module;

import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlValue;

/** A file rendered from a template into its own store path, as {@code fileName}. */
public record FileDecl(String name, String fileName, YamlValue text, boolean executable, Location location) {
}
