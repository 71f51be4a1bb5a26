package dev.deploy.cli.json;

import java.util.List;
import java.util.Map;

/**
 * {@code deploy plan --json}: one entry per selected host, whether any host has changes, how many hosts could
 * not be planned ({@code complete}: none; {@code changes} false with {@code complete} false is no "no changes"),
 * and the notices about the sources (pins added to deploy.lock, upstream moved, ...).
 */
public record PlanDocument(int format, String command, int exitCode, List<Host> hosts, boolean changes,
                           int failedHosts, List<Notice> sourceNotices, boolean complete) implements JsonDocument {

    public PlanDocument(int exitCode, List<Host> hosts, boolean changes, int failedHosts,
                        List<Notice> sourceNotices) {
        this(FORMAT, "plan", exitCode, hosts, changes, failedHosts, sourceNotices, failedHosts == 0);
    }

    /**
     * A host: {@code outcome} ({@code ok}, or why it could not be planned: {@code failed}, {@code unreachable},
     * {@code locked}) with {@code error} and {@code problem} when it failed, the plan's fields (null when it
     * failed; see {@link HostPlanJson}, {@code contentFrom} included), and what crossed its connection.
     */
    public record Host(String host, String outcome, String error, Problem problem, Boolean changes,
                       Integer currentGeneration, Integer nextGeneration,
                       List<HostPlanJson.StorePathToAdd> storePathsToAdd, Long bytesToAdd,
                       List<HostPlanJson.Root> roots, List<HostPlanJson.Secret> secrets,
                       List<HostPlanJson.Service> services, Boolean servicesStarted,
                       Map<String, String> origins, List<HostPlanJson.Venv> venvs, Transport transport,
                       String currentGenerationFailed, PlanDiffJson diff, String contentFrom) {

        public static Host planned(HostPlanJson plan, Transport transport) {
            return new Host(plan.host(), "ok", null, null, plan.changes(), plan.currentGeneration(),
                    plan.nextGeneration(), plan.storePathsToAdd(), plan.bytesToAdd(), plan.roots(), plan.secrets(),
                    plan.services(), plan.servicesStarted(), plan.origins(), plan.venvs(), transport,
                    plan.currentGenerationFailed(), plan.diff(), plan.contentFrom());
        }

        public static Host failed(String host, String outcome, String error, Problem problem, Transport transport) {
            return new Host(host, outcome, error, problem, null, null, null, null, null, null, null, null, null, null,
                    null, transport, null, null, null);
        }
    }
}
