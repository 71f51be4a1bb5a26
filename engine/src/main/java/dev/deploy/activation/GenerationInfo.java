package dev.deploy.activation;

import dev.deploy.plan.GenerationManifest;

/** A generation present on a host, whether it is current, and its manifest (null if unreadable). */
public record GenerationInfo(int number, boolean current, GenerationManifest manifest) {
}
