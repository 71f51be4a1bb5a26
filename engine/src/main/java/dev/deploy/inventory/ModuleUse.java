package dev.deploy.inventory;

import dev.deploy.Location;

/** A module named by a host (directly, or through a group or the defaults), with where it was named. */
public record ModuleUse(String name, Location location) {
}
