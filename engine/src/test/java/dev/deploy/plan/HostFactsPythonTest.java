package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.LocalConnection;
import dev.deploy.python.Libc;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.store.HostLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsPythonTest {

    @TempDir
    Path state;

    @Test
    void probesEachAskedInterpreterInTheSameRoundTripAndRecordsAMissingOne() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0);
        Process real = new ProcessBuilder("python3", "-c",
                "import os, sys, platform; print(os.path.realpath(sys.executable)); print(platform.python_version())")
                .start();
        List<String> expected = new String(real.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        try (LocalConnection connection = new LocalConnection("here")) {
            long before = connection.stats().roundTrips();
            HostState facts = HostFacts.gather(connection, new HostLayout(state.toString()),
                    List.of("python3", "/nonexistent/bin/python3"));

            assertThat(connection.stats().roundTrips() - before).isEqualTo(1);
            PythonFacts python = facts.python("python3");
            assertThat(python.problem()).isEmpty();
            assertThat(python.interpreter()).contains(expected.get(0));
            TargetEnvironment environment = python.require("here", "venv demo.app");
            assertThat(environment.pythonVersion()).isEqualTo(expected.get(1));
            assertThat(environment.implementation()).isEqualTo("cpython");
            assertThat(environment.sysPlatform()).isEqualTo("linux");
            assertThat(environment.machine()).isEqualTo(System.getProperty("os.arch").equals("amd64") ? "x86_64"
                    : environment.machine());
            assertThat(environment.libc()).isInstanceOf(Libc.Glibc.class);

            PythonFacts missing = facts.python("/nonexistent/bin/python3");
            assertThat(missing.interpreter()).isEmpty();
            assertThatThrownBy(() -> missing.require("here", "venv demo.app"))
                    .isInstanceOf(DeployException.class)
                    .hasMessage("here: venv demo.app: python interpreter /nonexistent/bin/python3 not found on the "
                            + "host; install it (e.g. apt-get install python3) or set the venv's 'python'");
        }
    }

    @Test
    void withoutInterpretersAskedForNoPythonIsProbed() throws Exception {
        try (LocalConnection connection = new LocalConnection("here")) {
            HostState facts = HostFacts.gather(connection, new HostLayout(state.toString()));
            assertThat(facts.pythons()).isEmpty();
        }
    }

    @Test
    void readsMuslAndReportsAnInterpreterThatFails() {
        PythonFacts alpine = PythonFacts.parse("python3", List.of("ok", "/usr/bin/python3.12", "3.12.8", "cpython",
                "aarch64", "musl 1.2.5", "6.1.0", "#1 SMP", "linux"));
        assertThat(alpine.environment().orElseThrow().libc()).isEqualTo(new Libc.Musl(1, 2));
        assertThat(alpine.environment().orElseThrow().machine()).isEqualTo("aarch64");

        PythonFacts broken = PythonFacts.parse("python3", List.of("Traceback (most recent call last):",
                "ImportError: no platform", "exit code 1"));
        assertThat(broken.problem()).contains("python interpreter python3 failed to report itself: exit code 1");
    }
}
