package dev.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md: "No package cycles". The package dependencies of the compiled engine, as the JDK's
 * {@code jdeps} reads them from the class files (so fully qualified names and same-named types count too), have no
 * cycle.
 */
class PackageCyclesTest {

    @Test
    void theEnginesPackagesDependOnEachOtherWithoutCycles() {
        Path classes = Path.of("target/classes").toAbsolutePath();
        StringWriter out = new StringWriter();
        int code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", "-e", "dev\\.deploy.*", classes.toString());
        assertThat(code).as(out.toString()).isZero();
        Map<String, Set<String>> edges = new TreeMap<>();
        Matcher edge = Pattern.compile("(?m)^\\s+(dev\\.deploy[\\w.]*)\\s+->\\s+(dev\\.deploy[\\w.]*)\\s").matcher(out.toString());
        while (edge.find()) {
            if (!edge.group(1).equals(edge.group(2))) {
                edges.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertThat(edges).as("jdeps output:\n" + out).containsKey("dev.deploy.fleet");
        assertThat(cycles(edges)).isEmpty();
    }

    @Test
    void aCycleThroughThreePackagesIsFoundAndATreeHasNone() {
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"))))
                .containsExactly(Set.of("a", "b", "c"));
        assertThat(cycles(Map.of("a", Set.of("b", "c"), "b", Set.of("c")))).isEmpty();
    }

    /** The strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> cycles(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        Set<String> all = new TreeSet<>(edges.keySet());
        edges.values().forEach(all::addAll);
        for (String start : all) {
            if (!index.containsKey(start)) {
                visit(start, edges, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, List<Set<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next, edges, index, low, stack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
