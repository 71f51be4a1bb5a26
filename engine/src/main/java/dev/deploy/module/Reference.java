package dev.deploy.module;

import dev.deploy.yaml.NearMiss;
import java.util.List;

/**
 * What a template's {@code ${...}} names, parsed once when the template is read. Option references are checked
 * against the host's module graph when evaluated; the rest name fixed namespaces.
 */
public sealed interface Reference {

    /** The reference as written between {@code ${} and {@code }}, for messages. */
    String text();

    /** {@code ${host.name}}: the host's inventory name. */
    record HostName(String text) implements Reference {
    }

    /** {@code ${host.address}}: the host's SSH address ({@code 127.0.0.1} for a local host). */
    record HostAddress(String text) implements Reference {
    }

    /** {@code ${deploy.stateDir}}: the host's state directory. */
    record StateDir(String text) implements Reference {
    }

    /**
     * {@code ${sources.NAME}}, {@code ${files.NAME}}, {@code ${venvs.NAME}} or {@code ${secrets.NAME}} (the on-host
     * path of a file secret) of the template's own module.
     */
    record Member(String text, Kind kind, String name) implements Reference {
        /** The namespaces a module's own members live in. */
        public enum Kind {
            SOURCES, FILES, VENVS, SECRETS;

            /** The namespace as written in templates: {@code sources}, {@code files}, {@code venvs}, {@code secrets}. */
            String namespace() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            /** The role prefix of the member's root: {@code source}, {@code file}, {@code venv}. */
            String role() {
                String namespace = namespace();
                return namespace.substring(0, namespace.length() - 1);
            }
        }
    }

    /**
     * {@code ${option}} (of the template's own module) or {@code ${module.option}}; {@code module} is null for the
     * former, {@code name} is null when the reference has more parts than that (an error when evaluated).
     */
    record Option(String text, String module, String name) implements Reference {
    }

    /**
     * Parses the text between {@code ${} and {@code }}, already checked to be dotted identifiers.
     *
     * @throws IllegalArgumentException for an unknown name in the {@code host} or {@code deploy} namespace, with
     *                                  what that namespace has
     */
    static Reference parse(String text) {
        String[] parts = text.split("\\.");
        switch (parts[0]) {
            case "host":
                if (text.equals("host.name")) {
                    return new HostName(text);
                }
                if (text.equals("host.address")) {
                    return new HostAddress(text);
                }
                throw new IllegalArgumentException("unknown reference '${" + text + "}'"
                        + NearMiss.suggestion(text, List.of("host.name", "host.address"))
                        + " (host has: host.name, host.address)");
            case "deploy":
                if (text.equals("deploy.stateDir")) {
                    return new StateDir(text);
                }
                throw new IllegalArgumentException("unknown reference '${" + text + "}'"
                        + NearMiss.suggestion(text, List.of("deploy.stateDir")) + " (deploy has: deploy.stateDir)");
            case "sources":
                return new Member(text, Member.Kind.SOURCES, parts.length == 2 ? parts[1] : null);
            case "files":
                return new Member(text, Member.Kind.FILES, parts.length == 2 ? parts[1] : null);
            case "venvs":
                return new Member(text, Member.Kind.VENVS, parts.length == 2 ? parts[1] : null);
            case "secrets":
                return new Member(text, Member.Kind.SECRETS, parts.length == 2 ? parts[1] : null);
            default:
                if (parts.length == 1) {
                    return new Option(text, null, parts[0]);
                }
                return new Option(text, parts[0], parts.length == 2 ? parts[1] : null);
        }
    }
}
