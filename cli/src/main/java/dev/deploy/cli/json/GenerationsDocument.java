package dev.deploy.cli.json;

import java.util.List;
import java.util.Map;

/** {@code deploy generations --json}: each selected host's generations, oldest first. */
public record GenerationsDocument(int format, String command, int exitCode, List<Host> hosts)
        implements JsonDocument {

    public GenerationsDocument(int exitCode, List<Host> hosts) {
        this(FORMAT, "generations", exitCode, hosts);
    }

    /** A host: {@code outcome}, its generations (null when it failed), {@code error} and {@code problem}. */
    public record Host(String host, String outcome, List<Generation> generations, String error, Problem problem,
                       Transport transport) {
    }

    /**
     * A generation: number, whether it is current, why it is marked failed ({@code failed}; null when it is not),
     * and from its manifest (null when unreadable) the creation time (ISO-8601), the store path of every root by
     * role, where each came from, and the service names.
     */
    public record Generation(int number, boolean current, String failed, String createdAt, Map<String, String> roots,
                             Map<String, String> origins, List<String> services) {
    }
}
