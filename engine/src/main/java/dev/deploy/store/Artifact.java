package dev.deploy.store;

/**
 * Something that becomes one store path on a host: a source tree, a rendered file, a systemd unit. {@code origin}
 * says where it came from for plans and manifests (e.g. {@code git:https://... @ 1a2b3c}).
 */
public record Artifact(StorePath storePath, Tree tree, Contents contents, String origin) {

    public static Artifact of(String name, Tree tree, Contents contents, String origin) {
        return new Artifact(StorePath.of(name, tree), tree, contents, origin);
    }
}
