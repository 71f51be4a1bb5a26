package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors that end a whole command before any host is contacted (the inventory is refused, an argument is wrong):
 * one line on stderr, exit 3, and with --json the same error as a document on stdout.
 */
class CommandLineErrorsTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aBadInventoryValueIsOneLineNamingFileLineColumnAndField() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"),
                "hosts:\n  web1:\n    address: 192.0.2.1\n    port: eighty\n");

        Run text = run("plan", inventory.toString());
        Run json = run("plan", "--json", inventory.toString());

        assertThat(text.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).matches("deploy: error: \\Q" + inventory + "\\E:4:11: hosts\\.web1\\.port: [^\\n]+\\n");
        assertThat(json.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(json.err()).isEqualTo(text.err());
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.get("command").asText()).isEqualTo("plan");
        assertThat(document.get("exitCode").asInt()).isEqualTo(3);
        assertThat("deploy: error: " + document.get("error").asText() + "\n").isEqualTo(text.err());
        JsonNode problem = document.get("problem");
        assertThat(problem.get("kind").asText()).isEqualTo("input");
        assertThat(problem.get("file").asText()).isEqualTo(inventory.toString());
        assertThat(problem.get("line").asInt()).isEqualTo(4);
        assertThat(problem.get("column").asInt()).isEqualTo(11);
        assertThat(problem.get("field").asText()).isEqualTo("hosts.web1.port");
        assertThat(problem.get("detail").asText()).doesNotContain("hosts.web1.port").doesNotContain(":4:");
    }

    @Test
    void aDirectoryHoldingInventoryYamlStandsForThatFile() throws Exception {
        Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n  web1:\n    address: 192.0.2.1\n    port: eighty\n");

        Run run = run("plan", dir.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).startsWith("deploy: error: " + dir.resolve("inventory.yaml") + ":4:11: ");
        assertThat(CommonOptions.inventoryFile(dir)).isEqualTo(dir.resolve("inventory.yaml"));
        assertThat(CommonOptions.inventoryFile(dir.resolve("other.yaml"))).isEqualTo(dir.resolve("other.yaml"));
    }

    @Test
    void aDirectoryHoldingInventoryYamlKeepsItsDeployLockInsideIt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("inventory.yaml"), "hosts:\n  box:\n    local: {root: state}\n");

        Run run = run("lock", "--json", project.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get("lockFile").asText())
                .isEqualTo(project.resolve("deploy.lock").toAbsolutePath().toString());
        assertThat(run("lock", project.toString()).out())
                .as("an inventory without git sources is not said to have them all pinned")
                .isEqualTo("deploy.lock: no git sources here (path: sources are never pinned)\n");
    }

    @Test
    void aDirectoryWithoutAnInventoryIsBadInputSayingWhatToGive() {
        Run run = run("plan", dir.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).isEqualTo("deploy: error: " + dir + ": is a directory without an inventory.yaml; "
                + "give the inventory file, or a directory holding inventory.yaml\n");
        assertThat(run.err()).doesNotContain("IOException").doesNotContain("Is a directory");
    }

    @Test
    void aModulesDirectoryThatIsNotOneIsBadInput() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n  web1: {address: 192.0.2.1}\n");
        Path file = Files.writeString(dir.resolve("file"), "");

        assertThat(run("plan", "--modules", dir.resolve("missing").toString(), inventory.toString()).err())
                .isEqualTo("deploy: error: --modules: " + dir.resolve("missing") + ": no such directory\n");
        assertThat(run("plan", "--modules", file.toString(), inventory.toString()).err())
                .isEqualTo("deploy: error: --modules: " + file + ": not a directory\n");
    }

    @Test
    void everyCommandRefusesTheSameBadOptionWithTheSameLine() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n  web1: {address: 192.0.2.1}\n");
        for (String command : List.of("plan", "apply", "rollback", "generations", "gc")) {
            Run run = command.equals("gc") ? run(command, "--keep", "1", "--parallel", "0", inventory.toString())
                    : run(command, "--parallel", "0", inventory.toString());
            assertThat(run.code()).as(command).isEqualTo(ExitCodes.INPUT);
            assertThat(run.err()).as(command).isEqualTo("deploy: error: --parallel: must be at least 1, got 0\n");
        }
    }

    @Test
    void rollbackForceWithoutAGenerationIsBadInputInsteadOfBeingIgnored() throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n  web1: {address: 192.0.2.1}\n");

        Run run = run("rollback", "--force", inventory.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).startsWith("deploy: error: --force: only with --to N");
    }

    @Test
    void aCommandLinePicocliRefusesIsAlsoADocumentWithJson() throws Exception {
        Run run = run("gc", "--json", dir.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).startsWith("deploy: error: Missing required option: '--keep=K'");
        JsonNode document = new ObjectMapper().readTree(run.out());
        assertThat(document.get("command").asText()).isEqualTo("gc");
        assertThat(document.get("exitCode").asInt()).isEqualTo(3);
        assertThat(document.get("problem").get("kind").asText()).isEqualTo("input");
    }

    @Test
    void runsAtTheSameTimeInOneJvmEachPrintOnlyTheirOwnOutput() throws Exception {
        String[] commands = {"plan", "apply", "rollback", "generations", "gc"};
        java.util.Map<String, String> alone = new java.util.HashMap<>();
        for (String command : commands) {
            alone.put(command, run(command, "--help").out());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(commands.length);
        try {
            List<java.util.concurrent.Future<Run>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (String command : commands) {
                    runs.add(pool.submit(() -> run(command, "--help")));
                }
            }
            for (int i = 0; i < runs.size(); i++) {
                assertThat(runs.get(i).get().out()).isEqualTo(alone.get(commands[i % commands.length]));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void jsonIsOnlyAskedForBeforeTheEndOfOptions() {
        assertThat(Main.wantsJson("plan", "--json", "x")).isTrue();
        assertThat(Main.wantsJson("plan", "--", "--json")).isFalse();
        assertThat(Main.wantsJson("plan", "x")).isFalse();
    }

    @Test
    void aLockUpdateArgumentWithCredentialsIsNeverEchoed() throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), "module: site\noptions:\n  content: {type: source}\n"
                + "services:\n  site:\n    exec: /bin/true ${content}\n");
        Files.createDirectories(dir.resolve("www"));
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n  laptop:\n    local: {root: ./state}\n"
                + "    modules: [site]\n    options:\n      site.content: path:www\n");

        Run refused = run("lock", "--update", inventory.toString(),
                "git+https://deployer:s3cr3t-t0ken@git.example.org/app.git?ref=main");

        assertThat(refused.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(refused.err()).contains("'git+https://deployer:***@git.example.org/app.git?ref=main' is not a git "
                + "source").doesNotContain("s3cr3t-t0ken");
    }
}
