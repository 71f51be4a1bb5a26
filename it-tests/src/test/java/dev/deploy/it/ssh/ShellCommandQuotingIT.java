package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.fleet.Deployment;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.it.hosts.YamlStrings;
import dev.deploy.module.HostEvaluator;
import dev.deploy.module.ModuleLibrary;
import dev.deploy.source.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A health-check command's values are data on the host, over both transports: the command is rendered by the
 * evaluator from hostile inventory values and run as the health check runs it ({@code sh -c "$check"} with the
 * command passed as a quoted shell variable), on a local target and on a real OpenSSH server on 127.0.0.1. The
 * command prints its arguments; each must be exactly the inventory's value, and nothing the values spell is run.
 */
class ShellCommandQuotingIT {

    @TempDir
    Path dir;

    private OpenSshServer server;

    private List<String> hostile() {
        String pwned = dir.resolve("pwned").toString();
        return List.of("x; touch " + pwned, "$(touch " + pwned + ")", "`touch " + pwned + "`", "'; touch " + pwned
                + "; '", "\"; touch " + pwned + "; \"", "a\nb", "a b\tc", "", "*", "~", "-n", "PATH=/x", "if",
                "$HOME", "\\", "#", "%s", "é", "&& touch " + pwned, "| touch " + pwned, "> " + pwned);
    }

    @BeforeEach
    void start() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(key));
        Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/m.yaml"), """
                module: m
                options:
                  v: {type: string}
                  args: {type: list, default: []}
                services:
                  m:
                    exec: /bin/true
                    healthCheck:
                      command: printf '<%s>\\n' ${v} --x=${v} "${v}" '${v}' ${args}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Inventory inventory(String value) throws Exception {
        String options = "    modules: [m]\n    options:\n      m.v: " + YamlStrings.quoted(value) + "\n"
                + "      m.args: " + YamlStrings.list(List.of(value, "")) + "\n";
        return InventoryLoader.load(Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n"
                + "  here:\n    local: {root: local-state}\n" + options
                + "  there:\n    address: 127.0.0.1\n    port: " + server.port() + "\n    user: "
                + System.getProperty("user.name") + "\n    identity: id_ed25519\n    knownHosts: known_hosts\n"
                + "    stateDir: " + dir.resolve("remote-state") + "\n" + options));
    }

    /** Runs the command the way the health check does: as a quoted variable, through {@code sh -c}. */
    private static String runAsHealthCheck(HostConnection connection, String command) throws Exception {
        CommandResult result = connection.run(new ShellScript().raw("set -u").let("check", command)
                .raw("sh -c \"$check\"").text());
        assertThat(result.exitCode()).as(command + "\n" + result.stderr()).isZero();
        return result.stdoutText();
    }

    @Test
    void hostileValuesArriveAsExactlyTheirTextOnALocalTargetAndOverSsh() throws Exception {
        List<String> ran = new ArrayList<>();
        for (String value : hostile()) {
            Inventory inventory = inventory(value);
            for (Host host : inventory.hosts()) {
                String command;
                try (SourceResolver sources = new SourceResolver(dir.resolve("cache"))) {
                    command = new HostEvaluator(new ModuleLibrary(List.of(dir.resolve("modules"))), sources)
                            .evaluate(inventory, host).services().get(0).healthCheck().orElseThrow().command()
                            .orElseThrow();
                }
                try (HostConnection connection = Deployment.defaultConnector(false).open(host)) {
                    String expected = "<" + value + ">\n<--x=" + value + ">\n<" + value + ">\n<" + value + ">\n<"
                            + value + ">\n<>\n";
                    assertThat(runAsHealthCheck(connection, command)).as(host.name() + ": " + command)
                            .isEqualTo(expected);
                    ran.add(host.name());
                }
            }
        }
        assertThat(ran).contains("here", "there").hasSize(2 * hostile().size());
        assertThat(dir.resolve("pwned")).doesNotExist();
    }
}
