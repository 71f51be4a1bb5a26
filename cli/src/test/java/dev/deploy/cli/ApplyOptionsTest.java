package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollout options that make no sense are bad input (exit 3), refused before any host is contacted. */
class ApplyOptionsTest {

    @TempDir
    Path dir;

    private String[] run(String... args) throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"),
                "hosts:\n  web1: {address: 192.0.2.1}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 1];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = inventory.toString();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), full);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void badRolloutOptionsExitWith3AndOneLine() throws Exception {
        assertThat(run("apply", "--batch", "0")).containsExactly("3", "",
                "deploy: error: --batch: a batch needs at least 1 host, got 0\n");
        assertThat(run("apply", "--batch", "many")).containsExactly("3", "",
                "deploy: error: --batch: expected a number of hosts (2) or a percentage (25%), got \"many\"\n");
        assertThat(run("apply", "--canary", "x")).containsExactly("3", "",
                "deploy: error: --canary: expected a number of hosts (1) or a tag (@canary), got \"x\"\n");
        assertThat(run("apply", "--order", "random")).containsExactly("3", "",
                "deploy: error: --order: expected inventory, hosts or name, got \"random\"\n");
        assertThat(run("apply", "--max-failures", "0")).containsExactly("3", "",
                "deploy: error: --max-failures: must be at least 1, got 0\n");
        assertThat(run("apply", "--fail-fast", "--max-failures", "3")).containsExactly("3", "",
                "deploy: error: --fail-fast: is --max-failures 1; it cannot be combined with --max-failures 3\n");
        String[] both = run("apply", "--json", "--events", "ndjson");
        assertThat(both[0]).isEqualTo("3");
        assertThat(both[2]).isEqualTo("deploy: error: --events: both it and --json write stdout; give one of them\n");
        assertThat(both[1]).as("--json was asked for: the error as a document").contains("\"exitCode\" : 3");
        assertThat(run("apply", "--parallel", "0")).containsExactly("3", "",
                "deploy: error: --parallel: must be at least 1, got 0\n");
    }

    @Test
    void aCanaryTagNoHostHasIsBadInput() throws Exception {
        assertThat(run("apply", "--canary", "@eu")).containsExactly("3", "",
                "deploy: error: canary @eu: no selected host has that tag or group\n");
    }

    @Test
    void anOnThatNamesNoHostIsBadInputNotTheWholeInventory() throws Exception {
        for (String on : new String[] {",", ""}) {
            assertThat(run("plan", "--on", on)).as("--on '" + on + "'").containsExactly("3", "",
                    "deploy: error: --on: names no host (give host names or @tags, comma-separated)\n");
        }
    }
}
