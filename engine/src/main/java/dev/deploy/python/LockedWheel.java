package dev.deploy.python;

/** A wheel of a locked package together with its parsed file name. */
public record LockedWheel(LockedFile file, WheelFilename filename) {
}
