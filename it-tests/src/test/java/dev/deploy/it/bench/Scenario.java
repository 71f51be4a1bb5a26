package dev.deploy.it.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * One benchmark situation run by several tools in alternation: {@link #setup} once, then for each round
 * {@link #beforeRound} (e.g. change a file) and every tool in an order rotated by the round, each after its own
 * unmeasured preparation (e.g. wiping the destination for a cold run).
 */
final class Scenario {

    /** One tool's part: an unmeasured preparation, then the measured run. */
    record Tool(Runnable prepare, Supplier<Measurement> measure) {
    }

    final String name;
    final String description;
    final Map<String, Tool> tools = new LinkedHashMap<>();
    final Map<String, List<Measurement>> results = new LinkedHashMap<>();
    final Map<String, Object> facts = new LinkedHashMap<>();
    Runnable setup = () -> { };
    IntConsumer beforeRound = round -> { };

    Scenario(String name, String description) {
        this.name = name;
        this.description = description;
    }

    Scenario tool(String tool, Runnable prepare, Supplier<Measurement> measure) {
        tools.put(tool, new Tool(prepare, measure));
        return this;
    }

    void run(int rounds) {
        setup.run();
        List<String> names = new ArrayList<>(tools.keySet());
        for (int round = 0; round < rounds; round++) {
            beforeRound.accept(round);
            for (int i = 0; i < names.size(); i++) {
                String tool = names.get((i + round) % names.size());
                Tool part = tools.get(tool);
                part.prepare().run();
                Measurement m = part.measure().get();
                results.computeIfAbsent(tool, t -> new ArrayList<>()).add(m);
                System.err.printf("  %-16s %-12s round %d: %.2fs, %,d bytes, %d round trips, %,d KiB, %.1fs CPU%n",
                        name, tool, round + 1, m.wallSeconds(), m.bytesSent(), m.roundTrips(), m.peakRssKiB(),
                        m.cpuSeconds());
            }
        }
    }

    /** Medians of each metric over the rounds of {@code tool}. */
    Measurement median(String tool) {
        List<Measurement> runs = results.get(tool);
        return new Measurement(
                median(runs.stream().mapToDouble(Measurement::wallSeconds).toArray()),
                (long) median(runs.stream().mapToDouble(Measurement::bytesSent).toArray()),
                (long) median(runs.stream().mapToDouble(Measurement::roundTrips).toArray()),
                (long) median(runs.stream().mapToDouble(Measurement::peakRssKiB).toArray()),
                (long) median(runs.stream().mapToDouble(Measurement::artifactBytes).toArray()),
                median(runs.stream().mapToDouble(Measurement::cpuSeconds).toArray()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
