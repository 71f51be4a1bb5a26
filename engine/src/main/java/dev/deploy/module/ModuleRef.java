package dev.deploy.module;

import dev.deploy.Location;

/** A module named somewhere (an import or an inventory), with where it was named. */
public record ModuleRef(String name, Location location) {
}
