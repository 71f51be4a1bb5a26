package dev.deploy.cli.json;

import java.util.List;

/** {@code deploy rollback --json}: one entry per selected host. */
public record RollbackDocument(int format, String command, int exitCode, List<Host> hosts) implements JsonDocument {

    public RollbackDocument(int exitCode, List<Host> hosts) {
        this(FORMAT, "rollback", exitCode, hosts);
    }

    /**
     * A host: {@code result} ({@code ok} or {@code failed}) and the precise {@code outcome}; when it switched, from
     * which generation to which, the service actions ({@code "restart web"}) and whether the host carried them out
     * ({@code servicesStarted}: false where services are only recorded), one line per health check; when it
     * failed, {@code error} and {@code problem}; what crossed its connection.
     */
    public record Host(String host, String result, String outcome, Integer from, Integer to, List<String> services,
                       Boolean servicesStarted, List<String> healthChecks, String error, Problem problem,
                       Transport transport) {
    }
}
