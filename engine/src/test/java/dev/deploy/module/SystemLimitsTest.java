package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that systemd or the kernel would refuse on the host are input errors before any host is touched (exit 3),
 * not a unit that fails to load or a service that cannot start (exit 1 after a rollback). Checked on Debian's
 * systemd 252: {@code User=65535} is "bad-setting", a path segment over 255 bytes makes the unit fatal, a unit line
 * over 1 MiB fails to load, and an argument or environment variable of 128 KiB or more is "Argument list too long".
 */
class SystemLimitsTest {

    private static final String BIG = "a".repeat(200_000);

    @TempDir
    Path tmp;

    private ModuleFixture fixture;

    @BeforeEach
    void module() throws Exception {
        fixture = new ModuleFixture(tmp).module("m", """
                module: m
                options:
                  v: {type: string, default: ok}
                  l: {type: list, default: []}
                  user: {type: string, default: nobody}
                  dir: {type: string, default: srv}
                  env: {type: string, default: ok}
                  desc: {type: string, default: ok}
                  check: {type: string, default: ok}
                services:
                  m:
                    exec: /usr/bin/app ${v} ${l}
                    description: ${desc}
                    user: ${user}
                    workingDirectory: /srv/${dir}
                    stateDirectory: m/${dir}
                    environment: {E: "${env}"}
                    healthCheck: {command: "test -n ${check}"}
                """);
    }

    private String error(String option) throws Exception {
        return fixture.errorOf(ModuleFixture.host("m", option));
    }

    @Test
    void aUidSystemdDoesNotAcceptIsRefused() throws Exception {
        assertThat(error("m.user: \"65535\"")).startsWith("modules/m.yaml:14:11: h1: services.m.user: not a user name "
                + "or UID: \"65535\"");
    }

    @Test
    void aPathSegmentLongerThanAFileNameIsRefused() throws Exception {
        assertThat(error("m.dir: " + "d".repeat(300))).startsWith("modules/m.yaml:15:23: h1: "
                + "services.m.workingDirectory: a path segment is longer than 255 bytes");
    }

    @Test
    void anArgumentOrEnvironmentVariableTooLongForExecIsRefused() throws Exception {
        assertThat(error("m.v: " + BIG)).startsWith("modules/m.yaml:12:11: h1: services.m.exec: an argument is 200000 "
                + "bytes; the kernel passes at most 131071 bytes per argument");
        assertThat(error("m.env: " + BIG)).startsWith("modules/m.yaml:17:22: h1: services.m.environment.E: E=... is "
                + "200002 bytes; the kernel passes at most 131071 bytes per environment variable");
        assertThat(error("m.check: " + BIG)).startsWith("modules/m.yaml:18:28: h1: services.m.healthCheck.command: "
                + "the command is 200008 bytes; the kernel passes at most 131071 bytes to sh -c");
    }

    @Test
    void aUnitLineOrCommandLineLongerThanSystemdReadsIsRefused() throws Exception {
        String items = "[" + String.join(", ", java.util.Collections.nCopies(12, "\"" + "b".repeat(100_000) + "\""))
                + "]";
        assertThat(error("m.l: " + items)).startsWith("modules/m.yaml:12:11: h1: services.m.exec: written in the unit, the "
                + "value would be 1200027 bytes; systemd reads unit file lines of at most 1048575 bytes");
        // Escaping grows a value: 600,000 '%' are 1,200,000 bytes once written as %%.
        assertThat(error("m.desc: \"" + "%".repeat(600_000) + "\"")).startsWith("modules/m.yaml:13:18: h1: "
                + "services.m.description: written in the unit, the value would be 1200000 bytes; systemd reads unit "
                + "file lines of at most 1048575 bytes");
    }
}
