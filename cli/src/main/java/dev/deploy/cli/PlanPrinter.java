package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostPlan;
import dev.deploy.venv.VenvReport;
import java.io.PrintWriter;
import java.util.List;

/** Prints plans the way {@code terraform plan} does: one block per host, + add, ~ change, - remove. */
final class PlanPrinter {

    private final PrintWriter out;
    private final Style style;
    private final PlanDiffPrinter diffs;
    private final CacheConfig cache;

    PlanPrinter(PrintWriter out, Style style) {
        this(out, style, false, CacheConfig.NONE);
    }

    /** {@code full}: every changed path and diff line, not the first few. */
    PlanPrinter(PrintWriter out, Style style, boolean full) {
        this(out, style, full, CacheConfig.NONE);
    }

    /**
     * {@code full}: every changed path and diff line, not the first few; {@code cache}: the binary cache, which says
     * whether a host's missing files come from it or from this controller.
     */
    PlanPrinter(PrintWriter out, Style style, boolean full, CacheConfig cache) {
        this.out = out;
        this.style = style;
        this.diffs = new PlanDiffPrinter(out, style, full);
        this.cache = cache;
    }

    void print(HostPlan plan) {
        Host host = plan.host();
        String current = plan.state().currentNumber().map(n -> "generation " + n).orElse("no generation yet");
        if (!plan.hasChanges()) {
            out.println(style.bold(host.name()) + " (" + describe(host) + "): no changes, " + current);
            return;
        }
        out.println(style.bold(host.name()) + " (" + describe(host) + "): " + current + " -> generation "
                + plan.state().nextGenerationNumber());
        plan.state().currentFailure().ifPresent(failure -> out.println("  " + style.red("! " + current
                + " is marked failed") + " (" + failure + "): apply restarts every service"));
        SentPaths sent = new SentPaths(plan);
        for (HostPlan.RootChange change : PlanDiffPrinter.changes(plan)) {
            switch (change.change()) {
                case ADD -> out.println("  " + style.green("+ " + change.role()) + "  " + change.to()
                        + sent.note(change));
                case CHANGE -> out.println("  " + style.yellow("~ " + change.role()) + "  "
                        + PlanDiffPrinter.printable(change.from()) + " -> " + change.to() + sent.note(change));
                case REMOVE -> out.println("  " + style.red("- " + PlanDiffPrinter.printable(change.role())) + "  "
                        + PlanDiffPrinter.printable(change.from()));
            }
            String origin = plan.desired().manifest().origins().get(change.role());
            if (origin != null && change.role().startsWith("source/") && change.change() != HostPlan.Change.REMOVE) {
                out.println("      from " + origin);
            }
            diffs.print(plan, change.role());
            if (change.role().startsWith("venv/") && change.change() != HostPlan.Change.REMOVE
                    && !PlanDiffPrinter.hasPackageDiff(plan, change.role())) {
                plan.desired().venvs().stream().filter(v -> v.role().equals(change.role()))
                        .forEach(this::printVenv);
            }
        }
        for (HostPlan.SecretChange change : plan.secretChanges()) {
            switch (change.change()) {
                case ADD -> out.println("  " + style.green("+ secret " + change.name()));
                case CHANGE -> out.println("  " + style.yellow("~ secret " + change.name() + (change.was() == null
                        ? " (changed)" : " (repair: its file was " + change.was() + ")")));
                case REMOVE -> out.println("  " + style.red("- secret " + change.name()));
            }
        }
        for (HostPlan.ServiceChange change : plan.serviceChanges()) {
            out.println("  " + service(change, plan) + PlanDiffPrinter.because(plan, change.service()));
        }
        for (dev.deploy.store.Artifact repair : plan.toRepair()) {
            String why = plan.state().drift().paths().get(repair.storePath()) instanceof HostDrift.PathCheck.Damaged d
                    ? d.describe() : "failed its check";
            out.println("  " + style.yellow("~ repair  " + repair.storePath()) + " (" + why + "; sent again whole)");
        }
        if (!plan.toAdd().isEmpty()) {
            int toBuild = plan.toBuild().size();
            // the apply sends fewer bytes when the host has earlier versions of these paths: say so, so that the
            // plan's count and apply's "sent" do not look like a contradiction
            out.println("  store paths to add: " + plan.toAdd().size() + " (" + Words.count(plan.filesToAdd(), "file")
                    + ", " + Style.bytes(plan.bytesToAdd())
                    + (toBuild == 0 ? "" : ", and " + toBuild + " built at apply, whose files and bytes are known then")
                    + (plan.diff().flatMap(dev.deploy.plan.HostDiff::sending).isEmpty()
                    && plan.state().currentNumber().isPresent()
                    ? "; files the host already has are copied there, not sent" : "") + ")"
                    + PlanDiffPrinter.sending(plan, ContentRoute.of(cache, plan.host().name())));
        }
    }

    /**
     * A service line: {@code + start   web}, {@code ~ restart web}, {@code - stop    web} where the switch acts on
     * services; {@code ~ service web  (recorded only: REASON)} where it only records them.
     */
    private String service(HostPlan.ServiceChange change, HostPlan plan) {
        if (change.was().isPresent()) {
            // drift repaired: a service that should run but does not is started again
            return style.yellow("~ " + String.format("%-7s", ServiceWords.verb(change.action())) + " "
                    + change.service()) + " (was " + change.was().get() + ")";
        }
        String sign = ServiceWords.sign(change.action());
        String text = plan.startsServices()
                ? sign + " " + String.format("%-7s", ServiceWords.verb(change.action())) + " " + change.service()
                : sign + " service " + change.service() + "  (recorded only: "
                        + ServiceWords.notStartedReason(plan.host()) + ")";
        return switch (change.action()) {
            case START -> style.green(text);
            case RESTART -> style.yellow(text);
            case STOP -> style.red(text);
        };
    }

    /** The packages of a venv, the wheel each installs, and those no locked wheel fits. */
    private void printVenv(VenvReport venv) {
        out.println("      python " + venv.python());
        int width = venv.packages().stream().mapToInt(p -> (p.name() + " " + p.version()).length()).max().orElse(0);
        for (VenvReport.PackageLine line : venv.packages()) {
            String label = line.name() + " " + line.version();
            out.println("      " + label + " ".repeat(width - label.length() + 2) + line.describe());
        }
        if (!venv.scripts().isEmpty()) {
            out.println("      project scripts: " + String.join(", ", venv.scripts()));
        }
        List<VenvReport.PackageLine> without = venv.withoutFittingWheel();
        out.println("      " + Words.count(venv.packages().size(), "package") + "; extras: " + listOrNone(venv.extras())
                + "; groups: " + listOrNone(venv.groups()) + "; no fitting wheel in the lock: "
                + listOrNone(without.stream().map(VenvReport.PackageLine::name).toList()));
        out.println("      " + (venv.filesToFetch() == 0 ? "nothing to download: every file is in the local cache"
                : "apply downloads " + Words.count(venv.filesToFetch(), "file") + " ("
                + Style.bytes(venv.bytesToFetch()) + " by the sizes uv.lock records)"));
    }

    private static String listOrNone(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * The closing line. {@code failed} hosts could not be planned: the line then says so first, and never claims
     * that hosts are up to date when they were not read.
     */
    void summary(List<HostPlan> plans, int failed) {
        out.println();
        out.println(summaryLine(plans, failed, style));
        cacheLine(plans, cache).ifPresent(out::println);
    }

    /**
     * {@code Cache s3://B/P: 2 hosts fetch from it, 1 host is pushed to over SSH (cache: off); ...} after the summary
     * when a cache is configured and some host lacks store paths.
     */
    static java.util.Optional<String> cacheLine(List<HostPlan> plans, CacheConfig cache) {
        if (cache.settings().isEmpty()) {
            return java.util.Optional.empty();
        }
        List<HostPlan> adding = plans.stream().filter(p -> !p.toAdd().isEmpty()).toList();
        if (adding.isEmpty()) {
            return java.util.Optional.empty();
        }
        long fetching = adding.stream().filter(p -> cache.enabledFor(p.host().name())).count();
        long pushed = adding.size() - fetching;
        return java.util.Optional.of("Cache " + cache.settings().get().location() + ": "
                + (fetching == 0 ? "no host fetches from it"
                : Words.count((int) fetching, "host") + (fetching == 1 ? " fetches" : " fetch")
                + " from it what it lacks (the controller uploads what the cache does not have; a host that"
                + " cannot reach it is pushed to over SSH)")
                + (pushed == 0 ? "" : ", " + Words.count((int) pushed, "host") + (pushed == 1 ? " is" : " are")
                + " pushed to over SSH (cache: off)") + ".");
    }

    /** The closing line of a plan (see {@link #summary}). */
    static String summaryLine(List<HostPlan> plans, int failed, Style style) {
        long changed = plans.stream().filter(HostPlan::hasChanges).count();
        int paths = plans.stream().mapToInt(p -> p.toAdd().size()).sum();
        long bytes = plans.stream().mapToLong(HostPlan::bytesToAdd).sum();
        long toBuild = plans.stream().mapToLong(p -> p.toBuild().size()).sum();
        String toAdd = Words.count(paths, "store path") + " to add (" + Style.bytes(bytes)
                + (toBuild == 0 ? "" : " + " + toBuild + " built at apply") + ")";
        if (failed > 0) {
            int total = plans.size() + failed;
            return style.bold("Plan: incomplete.") + " " + failed + " of " + Words.count(total, "host")
                    + " could not be planned (errors above); of the others, " + changed + " of " + plans.size()
                    + " to change, " + toAdd + ".";
        }
        if (changed == 0) {
            return style.bold("Plan: no changes.") + " " + Words.count(plans.size(), "host") + " up to date.";
        }
        long started = ServiceWords.toStart(plans);
        long recorded = ServiceWords.recordedOnly(plans);
        String services = started > 0 || recorded == 0 ? Words.count(started, "service") + " to start or restart" : "";
        if (recorded > 0) {
            services += (services.isEmpty() ? "" : ", ") + Words.count(recorded, "service change") + " only recorded";
        }
        return style.bold("Plan: " + changed + " of " + Words.count(plans.size(), "host") + " to change")
                + ", " + toAdd + ", " + services + ".";
    }

    static String describe(Host host) {
        if (host.target() instanceof HostTarget.Local local) {
            return "local " + local.stateDir();
        }
        HostTarget.Ssh ssh = (HostTarget.Ssh) host.target();
        return ssh.user() + "@" + ssh.address() + (ssh.port() == 22 ? "" : ":" + ssh.port());
    }

}
