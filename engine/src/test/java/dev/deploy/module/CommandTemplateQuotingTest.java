package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line fields of a module ({@code exec}, {@code healthCheck.command}) get inventory values as data: the
 * issue's health-check injection and its {@code ExecStart=} twin, through the whole evaluation.
 */
class CommandTemplateQuotingTest {

    @TempDir
    Path tmp;

    private ModuleFixture fixture;

    @BeforeEach
    void module() throws Exception {
        fixture = new ModuleFixture(tmp).module("m", """
                module: m
                options:
                  v: {type: string, default: x}
                  args: {type: list, default: []}
                services:
                  m:
                    exec: /usr/bin/app --name=${v} ${v} ${args}
                    healthCheck: {command: "test -n ${v}"}
                """);
    }

    @Test
    void aHealthCommandGetsTheValueAsOneShellWordAndRunningItCreatesNothing() throws Exception {
        EvaluatedHost host = fixture.evaluate(ModuleFixture.host("m", "m.v: \"x; touch " + tmp + "/pwned\""));
        String command = host.services().get(0).healthCheck().orElseThrow().command().orElseThrow();
        assertThat(command).isEqualTo("test -n 'x; touch " + tmp + "/pwned'");
        Process sh = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(sh.waitFor()).isZero();
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void execGetsEachValueAsOneArgumentAndEachListItemAsOne() throws Exception {
        EvaluatedHost host = fixture.evaluate(ModuleFixture.host("m", "m.v: \"x; touch /tmp/pwned $HOME %n\"",
                "m.args: [\"a b\", \"-c\", \"\"]"));
        assertThat(ModuleFixture.unit(host, "m")).contains("\nExecStart=/usr/bin/app "
                + "\"--name=x; touch /tmp/pwned $$HOME %%n\" \"x; touch /tmp/pwned $$HOME %%n\" \"a b\" -c \"\"\n");
    }

    @Test
    void aValueCannotTurnTheExecutableIntoASystemdPrefix() throws Exception {
        fixture.module("p", """
                module: p
                options:
                  bin: {type: string, default: /usr/bin/app}
                services:
                  p:
                    exec: ${bin} --serve
                """);
        assertThat(fixture.errorOf(ModuleFixture.host("p", "p.bin: \"-/usr/bin/app\"")))
                .isEqualTo("modules/p.yaml:6:11: h1: services.p.exec: a value cannot start the command with '-' "
                        + "(systemd would read it as a prefix of ExecStart=); the value comes from "
                        + "inventory.yaml:6:14 (hosts.h1.options.p.bin)");
    }

    @Test
    void aValueCannotBecomeAnEnvironmentVariableReferenceInExecStart() throws Exception {
        fixture.module("e", """
                module: e
                options:
                  v: {type: string, default: x}
                services:
                  e:
                    exec: /usr/bin/app "$"${v}
                """);
        assertThat(fixture.errorOf(ModuleFixture.host("e", "e.v: SECRET")))
                .isEqualTo("modules/e.yaml:6:11: h1: services.e.exec: ${v} cannot be used right after a $ or inside "
                        + "${...}: systemd would expand it as an environment variable name; the value comes from "
                        + "inventory.yaml:6:12 (hosts.h1.options.e.v)");
    }
}
