package dev.deploy.cli;

import dev.deploy.activation.GenerationInfo;
import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.Planner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy generations}: list each host's generations and what each changed. */
@Command(name = "generations", mixinStandardHelpOptions = true,
        description = {"List the generations on each selected host: number, creation time, what changed against",
            "the generation before it, which one is current (marked *), and which failed (marked !, with why:",
            "rolled back after a health check, reverted by the host when not confirmed, a step that failed)."},
        footer = ExitCodes.HELP)
final class GenerationsCommand extends HostsCommand {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Hosts read at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        try (Deployment deployment = open()) {
            List<HostResult<List<GenerationInfo>>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "generations", (host, events) -> host.generations());
            Map<String, Object> doc = Json.document("generations");
            List<Object> hosts = new ArrayList<>();
            for (HostResult<List<GenerationInfo>> result : results) {
                String name = result.host().name();
                if (!(result instanceof HostResult.Done<List<GenerationInfo>> done)) {
                    hosts.add(Map.of("host", name, "outcome", Outcome.of(result).label(),
                            "error", HostResults.message(result).orElse("")));
                    continue;
                }
                Map<String, Object> host = new LinkedHashMap<>();
                host.put("host", name);
                host.put("generations", done.value().stream().map(Json::generation).toList());
                hosts.add(host);
                if (!common.json) {
                    print(name, done.value());
                }
            }
            if (common.json) {
                doc.put("hosts", hosts);
                printJson(doc);
            } else {
                HostResults.printErrors(results, err(), common.verbose);
            }
            out().flush();
            return HostResults.exitCode(results);
        }
    }

    private void print(String host, List<GenerationInfo> generations) {
        PrintWriter out = out();
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
            return after.roots().size() + " roots, " + after.services().size() + " services";
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
            changed.add(change.action().name().toLowerCase(java.util.Locale.ROOT) + " " + change.service());
        }
        return changed.isEmpty() ? "same content" : String.join(", ", changed);
    }
}
