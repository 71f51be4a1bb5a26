package dev.deploy.cli;

import dev.deploy.activation.GenerationInfo;
import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.Planner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy generations}: list each host's generations and what each changed. */
@Command(name = "generations",
        header = "List each host's generations and what each one changed.",
        description = {"For each selected host, one line per generation: its number, when it was created, what "
                + "changed against the generation before it, which one is current (marked *), and which failed "
                + "(marked !, with why: rolled back after a health check, reverted by the host when not confirmed, "
                + "a step that failed)."})
final class GenerationsCommand extends HostsCommand {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", order = 1,
            description = "Hosts read at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        parallel(parallel);
        try (Deployment deployment = open()) {
            List<HostResult<List<GenerationInfo>>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "generations", (host, events) -> host.generations());
            int code = HostResults.exitCode(results);
            if (common.json) {
                printJson(JsonDocuments.generations(results, deployment::stats, code));
                return code;
            }
            for (HostResult<List<GenerationInfo>> result : results) {
                if (result instanceof HostResult.Done<List<GenerationInfo>> done) {
                    print(out(), result.host().name(), done.value());
                }
            }
            out().flush();
            HostResults.printErrors(results, err(), common.verbose);
            return code;
        }
    }

    /** One line per generation: current marker, number, creation time, what changed against the one before. */
    static void print(PrintWriter out, String host, List<GenerationInfo> generations) {
        out.println(host + ":");
        if (generations.isEmpty()) {
            out.println("  no generations");
            return;
        }
        GenerationManifest previous = null;
        for (GenerationInfo info : generations) {
            String marker = info.current() ? "*" : info.failed() ? "!" : " ";
            String time = info.manifest() == null ? "(manifest unreadable)" : info.manifest().createdAt();
            out.printf("  %s %4d  %-20s  %s%s%n", marker, info.number(), time, summary(previous, info.manifest()),
                    info.failure().map(why -> "  FAILED: " + why).orElse(""));
            previous = info.manifest();
        }
    }

    /** What a generation changed against the one listed before it. */
    static String summary(GenerationManifest before, GenerationManifest after) {
        if (after == null) {
            return "";
        }
        if (before == null) {
            return Words.count(after.roots().size(), "root") + ", " + Words.count(after.services().size(), "service");
        }
        List<String> changed = new ArrayList<>();
        List<HostPlan.RootChange> changes = new ArrayList<>(Planner.rootChanges(before.roots(), after.roots()));
        changes.addAll(Planner.rootChanges(before.secretVersions(), after.secretVersions()));
        for (HostPlan.RootChange change : changes) {
            String sign = switch (change.change()) {
                case ADD -> "+";
                case CHANGE -> "~";
                case REMOVE -> "-";
            };
            changed.add(sign + change.role());
        }
        for (HostPlan.ServiceChange change : Planner.serviceChanges(before.services(), after.services())) {
            // the service's definition changed; whether it was restarted depends on the host, not on the list
            changed.add(ServiceWords.sign(change.action()) + "service " + change.service());
        }
        return changed.isEmpty() ? "same content" : String.join(", ", changed);
    }
}
