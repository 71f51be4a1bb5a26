package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.YamlStrings;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through the CLI against a local target and a real OpenSSH server: a value that would add a unit
 * directive, YAML nested 2000 deep, an absurd timeout. Each is exit 3 with one line naming the file, line, column
 * and field, and neither host is touched (no state directory is created). The systemd side of the unit case runs
 * on Debian in {@code UnitEscapingIT}.
 */
class InputErrorsChangeNothingIT {

    @TempDir
    Path dir;

    private OpenSshServer server;

    @BeforeEach
    void start() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(key));
        Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
        module("30s");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void module(String timeout) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/m.yaml"), """
                module: m
                options:
                  v: {type: string, default: ok}
                  user: {type: string, default: nobody}
                services:
                  m:
                    exec: /usr/bin/app --name ${v}
                    user: ${user}
                    healthCheck: {command: "test -n ${v}", timeout: %s}
                """.formatted(timeout));
    }

    /** Both hosts with {@code options} (YAML lines under {@code options:}, indented by six spaces). */
    private Path inventory(String options) throws Exception {
        String common = "    modules: [m]\n    options:\n" + options;
        return Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n"
                + "  here:\n    local: {root: local-state}\n" + common
                + "  there:\n    address: 127.0.0.1\n    port: " + server.port() + "\n    user: "
                + System.getProperty("user.name") + "\n    identity: id_ed25519\n    knownHosts: known_hosts\n"
                + "    stateDir: " + dir.resolve("remote-state") + "\n" + common);
    }

    private String refused(Path inventory) {
        CliRun run = CliRun.of("apply", "--no-color", "--accept-new-host-keys", inventory.toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr().strip().lines()).as(run.stderr()).hasSize(1);
        assertThat(run.stderr()).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("local-state")).doesNotExist();
        assertThat(dir.resolve("remote-state")).doesNotExist();
        return run.stderr().strip().replace(dir + "/", "");
    }

    @Test
    void aCarriageReturnOrNulThatWouldAddAUnitDirectiveIsRefusedNamingTheInventoryLine() throws Exception {
        assertThat(refused(inventory("      m.user: " + YamlStrings.quoted("root\rInjectedKey=1") + "\n")))
                .isEqualTo("deploy: error: modules/m.yaml:8:11: here: services.m.user: control character U+000D "
                        + "(carriage return) in a unit setting; the value comes from inventory.yaml:6:15 "
                        + "(hosts.here.options.m.user)");
        assertThat(refused(inventory("      m.v: " + YamlStrings.quoted("x\0ExecStartPre=/bin/sh") + "\n")))
                .isEqualTo("deploy: error: modules/m.yaml:7:11: here: services.m.exec: control character U+0000 "
                        + "(NUL) in a command line; the value comes from inventory.yaml:6:12 "
                        + "(hosts.here.options.m.v)");
    }

    @Test
    void yamlNested2000DeepIsRefusedWithItsLocation() throws Exception {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        assertThat(refused(inventory("      m.v: " + deep + "\n")))
                .isEqualTo("deploy: error: inventory.yaml:6:72: invalid YAML: collections nested deeper than 64 "
                        + "levels");
    }

    @Test
    void aTimeoutTooLargeForAnyCounterIsRefusedWithItsLocation() throws Exception {
        module("99999999999");
        assertThat(refused(inventory("      m.v: ok\n"))).isEqualTo("deploy: error: modules/m.yaml:9:53: "
                + "services.m.healthCheck.timeout: timeout must be whole seconds, like 30 or 30s, from 1 to 86400, "
                + "got \"99999999999\"");
    }
}
