package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.hosts.YamlStrings;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory values in a real systemd unit (Debian bookworm, systemd 252), read back from systemd and from the
 * running service itself: each value in {@code ExecStart=} is exactly one argument (a list option one per item),
 * {@code $}, {@code %}, quotes, backslashes and {@code ;} stay data in every setting, the health-check command runs
 * its values as data, and a CR or NUL that would add a directive is refused before the host is touched.
 */
class UnitEscapingIT {

    /** Everything systemd's and sh's syntaxes give meaning to, without control characters. */
    private static final String HOSTILE = "x; touch /tmp/pwned \"q\" 'a' \\ \\\\n $HOME ${HOME} $$ %n %% ; é";
    private static final List<String> ARGS = List.of("a b", "", "$HOME", ";", "-x", "%n", "\\;", "'");

    @TempDir
    static Path dir;

    private static DebianTestHost host;

    @BeforeAll
    static void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/probe.yaml"), """
                module: probe
                options:
                  v: {type: string}
                  args: {type: list, default: []}
                  dir: {type: string, default: data}
                  user: {type: string, default: root}
                files:
                  dump:
                    name: dump.py
                    text: |
                      import json, os, sys, time
                      with open("/run/probe.json", "w") as out:
                          json.dump({"argv": sys.argv[1:], "env": os.environ.get("V"), "cwd": os.getcwd()}, out)
                      time.sleep(100000)
                services:
                  probe:
                    description: Probe ${v}
                    exec: /usr/bin/python3 ${files.dump} ${v} --name=${v} ${args} "literal ${v}"
                    environment: {V: "${v}"}
                    user: ${user}
                    stateDirectory: probe/${dir}
                    workingDirectory: /var/lib/probe/${dir}
                    healthCheck:
                      command: test -n ${v} && test -s /run/probe.json
                      timeout: 20s
                """);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static Path inventory(String... options) throws Exception {
        List<String> fields = new ArrayList<>(List.of("modules: [probe]", "options:"));
        for (String option : options) {
            fields.set(1, fields.get(1) + "\n      " + option);
        }
        return Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n"
                + host.inventoryEntry("deb1", fields.toArray(String[]::new)));
    }

    private static String onHost(String... command) {
        ExecResult result = host.exec(command);
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    @Test
    void eachValueIsExactlyOneArgumentAndDataInEverySettingOfARealUnit() throws Exception {
        // Inventory values are templates too: $${ writes a literal ${.
        Path inventory = inventory("probe.v: " + YamlStrings.quoted(HOSTILE.replace("${", "$${")),
                "probe.args: " + YamlStrings.list(ARGS),
                "probe.dir: \"my data\"");
        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();

        // What the service itself got: its arguments, environment and working directory.
        JsonNode seen = new ObjectMapper().readTree(onHost("cat", "/run/probe.json"));
        List<String> argv = new ArrayList<>();
        seen.get("argv").forEach(arg -> argv.add(arg.asText()));
        List<String> expected = new ArrayList<>(List.of(HOSTILE, "--name=" + HOSTILE));
        expected.addAll(ARGS);
        expected.add("literal " + HOSTILE);
        assertThat(argv).isEqualTo(expected);
        assertThat(seen.get("env").asText()).isEqualTo(HOSTILE);
        assertThat(seen.get("cwd").asText()).isEqualTo("/var/lib/probe/my data");

        // What systemd read from the unit file.
        assertThat(onHost("systemctl", "show", "-p", "Description", "--value", "probe.service").strip())
                .isEqualTo("Probe " + HOSTILE);
        assertThat(onHost("systemctl", "show", "-p", "User", "--value", "probe.service").strip()).isEqualTo("root");
        assertThat(onHost("systemctl", "show", "-p", "StateDirectory", "--value", "probe.service").strip())
                .isEqualTo("\"probe/my data\"");
        // One command, no prefix taken from a value (ignore_errors=no: no '-'), the environment has V alone.
        assertThat(onHost("systemctl", "show", "-p", "ExecStart", "--value", "probe.service"))
                .startsWith("{ path=/usr/bin/python3 ; argv[]=/usr/bin/python3 ").contains("; ignore_errors=no ;")
                .containsOnlyOnce("path=");
        assertThat(onHost("systemctl", "show", "-p", "Environment", "--value", "probe.service").strip())
                .startsWith("\"V=x; touch /tmp/pwned").doesNotContain("InjectedKey");
        ExecResult verify = host.exec("systemd-analyze", "verify", "probe.service");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout() + verify.stderr()).doesNotContain("probe.service:");

        // The health check ran `test -n <value>` as data: nothing the value spells was run.
        assertThat(host.exec("test", "-e", "/tmp/pwned").exitCode()).isNotZero();
    }

    @Test
    void aCarriageReturnOrNulThatWouldAddADirectiveIsRefusedAndTheHostKeepsItsUnit() throws Exception {
        CliRun first = CliRun.against(inventory("probe.v: ok"), "apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        String generations = onHost("ls", "/var/lib/deploy/generations");
        String unit = onHost("cat", "/etc/systemd/system/probe.service");

        for (String injected : List.of("root\rInjectedKey=1", "root\0InjectedKey=1", "root\nInjectedKey=1")) {
            CliRun refused = CliRun.against(inventory("probe.v: ok", "probe.user: " + YamlStrings.quoted(injected)),
                    "apply");
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
            assertThat(refused.stderr().strip().lines()).hasSize(1);
            assertThat(refused.stderr()).contains(": deb1: services.probe.user: control character U+00",
                    "in a unit setting; the value comes from " + dir.resolve("inventory.yaml") + ":",
                    "(hosts.deb1.options.probe.user)");
        }
        assertThat(onHost("ls", "/var/lib/deploy/generations")).isEqualTo(generations);
        assertThat(onHost("cat", "/etc/systemd/system/probe.service")).isEqualTo(unit).doesNotContain("InjectedKey");
        assertThat(onHost("systemctl", "show", "-p", "User", "--value", "probe.service").strip()).isEqualTo("root");
    }
}
