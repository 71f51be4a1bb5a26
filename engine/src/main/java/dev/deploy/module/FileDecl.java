package dev.deploy.module;

import dev.deploy.Location;

/** A file rendered from a template into its own store path, as {@code fileName}. */
public record FileDecl(String name, String fileName, Template text, boolean executable, Location location) {
}
