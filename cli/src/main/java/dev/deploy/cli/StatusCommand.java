package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.plan.HostDrift;
import dev.deploy.source.SourceOptions;
import dev.deploy.cli.json.StatusDocument;
import dev.deploy.cli.json.Transport;
import dev.deploy.status.HostStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deploy status}: per host, how the live state compares with what deploy would make of it; read-only. */
@Command(name = "status",
        header = "Show each host's drift from the inventory; changes nothing.",
        description = {"Per selected host: the live generation against what the inventory would deploy (up to date, "
                + "outdated, unknown), each service's state against the expected one (active; inactive, failed or "
                + "restarting is drift), each live store path against its sealed lists (entries, modes and "
                + "modification times; --verify also every file's SHA-256), leftovers of interrupted runs, who holds "
                + "the deploy lock, and free space in the state directory against what the next apply needs. "
                + "'apply' repairs what it can: it starts stopped services and re-sends damaged store paths."})
final class StatusCommand extends HostsCommand {

    @Option(names = "--verify",
            description = "Read every file of every live store path and compare its SHA-256 with the checksum list"
                    + " it was sealed with (default: entries, modes and modification times only).")
    boolean verify;

    @Option(names = "--detailed-exitcode",
            description = "Exit 2 when any host drifted (not up to date, a service not as expected, a damaged store"
                    + " path), 0 when none.")
    boolean detailedExitCode;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Hosts read at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Mixin
    SourceLockOptions lock;

    @Override
    SourceOptions sourceOptions() {
        return lock.options(common.inventory);
    }

    @Override
    public Integer call() {
        HostDrift.Check check = verify ? HostDrift.Check.FULL : HostDrift.Check.FAST;
        try (Deployment deployment = open()) {
            deployment.prepareAll(parallel);
            List<HostResult<HostStatus>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "status", (host, events) -> deployment.status(host.host(), check));
            List<HostStatus> statuses = new ArrayList<>();
            for (HostResult<HostStatus> result : results) {
                if (result instanceof HostResult.Done<HostStatus> done) {
                    statuses.add(done.value());
                }
            }
            int code = HostResults.exitCode(results);
            if (code == ExitCodes.OK && detailedExitCode && statuses.stream().anyMatch(HostStatus::drifted)) {
                code = ExitCodes.CHANGES;
            }
            if (common.json) {
                List<StatusDocument.Host> hosts = new ArrayList<>();
                for (HostResult<HostStatus> result : results) {
                    Transport transport = Transport.of(deployment.stats(result.host()));
                    hosts.add(result instanceof HostResult.Done<HostStatus> done
                            ? StatusDocument.Host.of(done.value(), transport)
                            : StatusDocument.Host.failed(result.host().name(), Outcome.of(result).label(),
                                    JsonDocuments.error(result), JsonDocuments.problem(result), transport));
                }
                out().println(Json.write(new StatusDocument(code, hosts,
                        (int) statuses.stream().filter(HostStatus::drifted).count(), results.size() - statuses.size())));
            } else {
                StatusPrinter printer = new StatusPrinter(out(), style());
                for (HostResult<HostStatus> result : results) {
                    if (result instanceof HostResult.Done<HostStatus> done) {
                        printer.print(result.host(), done.value());
                    }
                }
                HostResults.printErrors(results, err(), common.verbose);
                printer.summary(statuses, results.size() - statuses.size());
            }
            out().flush();
            return code;
        }
    }
}
