package dev.deploy.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one benchmark run: the table (medians, and each ratio deploy / baseline), the targets
 * with whether each is met, the machine, and a JSON document with every single run.
 */
final class Report {

    private static final String DEPLOY = "deploy";
    /** The tool name of deploy run as plain {@code java -cp}, without the launcher's JVM options. */
    static final String PLAIN_JVM = "deploy, JVM defaults";

    private final boolean quick;
    private final int rounds;
    private final TreeGenerator.Written app;
    private final TreeGenerator.Written large;
    private final String startedAt = Instant.now().toString();
    private List<Double> startup = List.of();
    private List<Double> startupPlainJvm = List.of();
    private List<Scenario> scenarios = List.of();
    private double totalSeconds;

    Report(boolean quick, int rounds, TreeGenerator.Written app, TreeGenerator.Written large) {
        this.quick = quick;
        this.rounds = rounds;
        this.app = app;
        this.large = large;
    }

    void jvmStartup(List<Double> seconds) {
        startup = seconds;
    }

    void jvmStartupUnderJvmDefaults(List<Double> seconds) {
        startupPlainJvm = seconds;
    }

    void scenarios(List<Scenario> all) {
        scenarios = all;
    }

    void totalSeconds(double seconds) {
        totalSeconds = seconds;
    }

    void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "%nMachine: %s%n", Machine.describe());
        out.printf(Locale.ROOT, "Trees: app %d files, %s%s; medians of %d runs%n%n", app.files(), mib(app.bytes()),
                large == null ? "" : "; large " + large.files() + " files, " + mib(large.bytes()), rounds);
        String format = "%-18s %-15s %7s %13s %11s %6s %10s %11s %11s%n";
        out.printf(Locale.ROOT, format, "SCENARIO", "TOOL", "WALL", "(MIN-MAX)", "SENT", "TRIPS", "PEAK RSS",
                "TIME RATIO", "BYTES RATIO");
        for (Scenario s : scenarios) {
            Measurement deploy = s.median(DEPLOY);
            for (String tool : s.results.keySet()) {
                Measurement m = s.median(tool);
                boolean baseline = !tool.startsWith(DEPLOY);
                double min = s.results.get(tool).stream().mapToDouble(Measurement::wallSeconds).min().orElse(0);
                double max = s.results.get(tool).stream().mapToDouble(Measurement::wallSeconds).max().orElse(0);
                out.printf(Locale.ROOT, format, s.name, tool, String.format(Locale.ROOT, "%.2fs", m.wallSeconds()),
                        String.format(Locale.ROOT, "(%.2f-%.2f)", min, max), bytes(m.bytesSent()), m.roundTrips(), m.peakRssKiB() == 0 ? "-" : mib(m.peakRssKiB() * 1024),
                        baseline ? ratio(deploy.wallSeconds(), m.wallSeconds()) : "",
                        baseline ? ratio(deploy.bytesSent(), m.bytesSent()) : "");
            }
        }
        out.printf(Locale.ROOT, "%nJVM start-up (deploy --version): median %.2fs%s%n",
                Scenario.median(toArray(startup)),
                startupPlainJvm.isEmpty() ? "" : String.format(Locale.ROOT, ", under the JVM's defaults %.2fs",
                        Scenario.median(toArray(startupPlainJvm))));
        out.printf(Locale.ROOT, "%nTargets (issue 15):%n");
        for (Map<String, Object> target : targets()) {
            out.printf(Locale.ROOT, "  [%s] %s: %s%n", Boolean.TRUE.equals(target.get("met")) ? "met"
                    : target.get("met") == null ? "info" : "MISSED", target.get("target"), target.get("measured"));
        }
        out.printf(Locale.ROOT, "%nTotal bench time: %.0fs%n", totalSeconds);
    }

    /** Each target of issue 15 with the measured figure and whether it is met ({@code null}: report only). */
    List<Map<String, Object>> targets() {
        List<Map<String, Object>> targets = new ArrayList<>();
        Scenario cold = find("cold-app-1host");
        if (cold != null) {
            double tar = cold.median(DEPLOY).wallSeconds() / cold.median("tar").wallSeconds();
            double rsync = cold.median(DEPLOY).wallSeconds() / cold.median("rsync").wallSeconds();
            targets.add(target("cold apply, app tree: <= 1.5x tar-over-ssh", tar <= 1.5, fmt(tar) + "x"));
            targets.add(target("cold apply, app tree: <= 1.2x rsync", rsync <= 1.2, fmt(rsync) + "x"));
        }
        Scenario noop = find("noop-app-1host");
        if (noop != null) {
            Measurement d = noop.median(DEPLOY);
            Measurement r = noop.median("rsync");
            targets.add(target("no-op apply: zero artifact bytes", d.artifactBytes() == 0,
                    d.artifactBytes() + " artifact bytes (" + d.bytesSent() + " bytes on the wire, "
                            + d.roundTrips() + " round trips)"));
            targets.add(target("no-op apply: <= 1.2x rsync's no-op", d.wallSeconds() <= 1.2 * r.wallSeconds(),
                    fmt(d.wallSeconds()) + "s vs " + fmt(r.wallSeconds()) + "s ("
                            + fmt(d.wallSeconds() / r.wallSeconds()) + "x)"
                            + (noop.results.containsKey(PLAIN_JVM) ? "; under the JVM's defaults "
                            + fmt(noop.median(PLAIN_JVM).wallSeconds()) + "s" : "")));
        }
        Scenario plan = find("plan-app-1host");
        if (plan != null) {
            Measurement d = plan.median(DEPLOY);
            Measurement r = plan.median("rsync");
            targets.add(target("warm plan, app tree: <= 1.2x rsync's no-op (-n)", d.wallSeconds() <= 1.2 * r.wallSeconds(),
                    fmt(d.wallSeconds()) + "s vs " + fmt(r.wallSeconds()) + "s ("
                            + fmt(d.wallSeconds() / r.wallSeconds()) + "x)"
                            + (plan.results.containsKey(PLAIN_JVM) ? "; under the JVM's defaults "
                            + fmt(plan.median(PLAIN_JVM).wallSeconds()) + "s" : "")));
        }
        Scenario change = find("change-1file-app");
        if (change != null) {
            long file = ((Number) change.facts.get("changedFileBytes")).longValue();
            long sent = change.median(DEPLOY).bytesSent();
            targets.add(target("one-file change: bytes sent <= file + 64 KiB", sent <= file + 65_536,
                    bytes(sent) + " sent for a " + bytes(file) + " file (limit " + bytes(file + 65_536) + ")"));
        }
        Scenario eight = find("cold-app-8hosts");
        if (cold != null && eight != null) {
            double r = eight.median(DEPLOY).wallSeconds() / cold.median(DEPLOY).wallSeconds();
            double tar = eight.median("tar").wallSeconds() / cold.median("tar").wallSeconds();
            targets.add(target("8 hosts, cold: deploy's 8-host/1-host ratio <= tar's", r <= tar, fmt(r) + "x ("
                    + fmt(eight.median(DEPLOY).wallSeconds()) + "s vs " + fmt(cold.median(DEPLOY).wallSeconds())
                    + "s); tar " + fmt(tar) + "x, rsync " + fmt(eight.median("rsync").wallSeconds()
                    / cold.median("rsync").wallSeconds()) + "x; controller CPU per added host "
                    + fmt((eight.median(DEPLOY).cpuSeconds() - cold.median(DEPLOY).cpuSeconds()) / 7) + "s"));
        }
        for (Scenario cache : scenarios.stream().filter(x -> x.name.endsWith("hosts-cache")).toList()) {
            Measurement push = cache.median(DEPLOY);
            Measurement coldCache = cache.median("deploy+cache");
            Measurement warm = cache.median("deploy+warm-cache");
            targets.add(target(cache.name + ": the controller sends one copy of the content, not one per host",
                    coldCache.bytesSent() < push.bytesSent() / 2,
                    "controller bytes sent " + bytes(coldCache.bytesSent()) + " cold cache (upload + SSH), "
                            + bytes(warm.bytesSent()) + " warm cache (SSH only) vs " + bytes(push.bytesSent())
                            + " direct push; controller CPU " + fmt(coldCache.cpuSeconds()) + "s cold, "
                            + fmt(warm.cpuSeconds()) + "s warm vs " + fmt(push.cpuSeconds()) + "s; wall "
                            + fmt(coldCache.wallSeconds()) + "s cold, " + fmt(warm.wallSeconds()) + "s warm vs "
                            + fmt(push.wallSeconds()) + "s"));
        }
        Scenario uv = find("plan-uvapp-1host");
        if (uv != null) {
            double above = uv.median(DEPLOY).wallSeconds() - uv.median("plan-without-venv").wallSeconds();
            targets.add(target("plan with a 147-package uv.lock: <= 0.5 s above a plan without a venv, no download",
                    above <= 0.5, fmt(above) + "s above (" + fmt(uv.median(DEPLOY).wallSeconds()) + "s vs "
                            + fmt(uv.median("plan-without-venv").wallSeconds()) + "s)"));
        }
        Scenario big = find("cold-large-1host");
        if (big != null) {
            double tar = big.median(DEPLOY).wallSeconds() / big.median("tar").wallSeconds();
            targets.add(target("cold apply, large tree: <= 2x tar-over-ssh", tar <= 2.0, fmt(tar) + "x ("
                    + fmt(big.median(DEPLOY).wallSeconds()) + "s vs " + fmt(big.median("tar").wallSeconds()) + "s)"));
            long rss = big.median(DEPLOY).peakRssKiB() * 1024;
            targets.add(target("peak RSS, large tree, launcher defaults: <= 160 MiB", rss <= 160L << 20, mib(rss)
                    + (cold != null ? " (app tree: " + mib(cold.median(DEPLOY).peakRssKiB() * 1024) + ")" : "")));
        }
        return targets;
    }

    Path writeJson(Path dir) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("startedAt", startedAt);
        doc.put("quick", quick);
        doc.put("runs", rounds);
        doc.put("machine", Machine.facts());
        doc.put("trees", Map.of("app", app, "large", large == null ? Map.of() : large));
        doc.put("jvmStartupSeconds", Map.of("version", startup, "versionUnderJvmDefaults", startupPlainJvm));
        List<Object> all = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", s.name);
            item.put("description", s.description);
            item.put("facts", s.facts);
            Map<String, Object> tools = new LinkedHashMap<>();
            for (String tool : s.results.keySet()) {
                tools.put(tool, Map.of("median", s.median(tool), "runs", s.results.get(tool)));
            }
            item.put("tools", tools);
            all.add(item);
        }
        doc.put("scenarios", all);
        doc.put("targets", targets());
        doc.put("totalSeconds", totalSeconds);
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = dir.resolve(stamp + (quick ? "-quick" : "") + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file;
    }

    private Scenario find(String name) {
        return scenarios.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }

    private static Map<String, Object> target(String target, Boolean met, String measured) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("target", target);
        item.put("met", met);
        item.put("measured", measured);
        return item;
    }

    private static double[] toArray(List<Double> values) {
        return values.isEmpty() ? new double[] {Double.NaN} : values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String ratio(double deploy, double baseline) {
        return baseline == 0 ? "-" : fmt(deploy / baseline) + "x";
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String bytes(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " B";
        }
        if (bytes < 10L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return mib(bytes);
    }
}
