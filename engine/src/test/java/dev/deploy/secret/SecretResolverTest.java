package dev.deploy.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading values on the controller: once per run, input errors that name the field and never hold the value. */
class SecretResolverTest {

    private static final Location AT = new Location("inventory.yaml", 7, 9);

    @TempDir
    Path tmp;

    private SecretSource.FromCommand command(String text, Duration timeout) {
        return new SecretSource.FromCommand(text, timeout, tmp, AT, "hosts.h1.secrets.app.key.command");
    }

    private static String text(SecretValue value) {
        return new String(value.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aFileIsReadExactlyAndAnEnvironmentVariableFromTheControllersEnvironment() throws Exception {
        Files.writeString(tmp.resolve("key"), "line one\nline two\n");
        SecretResolver resolver = new SecretResolver(Map.of("APP_KEY", "from-env")::get);
        assertThat(text(resolver.resolve(new SecretSource.FromFile(tmp.resolve("key"), AT, "f"), "h1")))
                .isEqualTo("line one\nline two\n");
        assertThat(text(resolver.resolve(new SecretSource.FromEnv("APP_KEY", AT, "f"), "h1"))).isEqualTo("from-env");
    }

    @Test
    void aCommandRunsOncePerRunUnlessItReadsTheHostName() throws Exception {
        Path counter = tmp.resolve("runs");
        SecretResolver resolver = new SecretResolver();
        SecretSource.FromCommand shared = command("echo x >> '" + counter + "'; printf 'value\\n\\n'",
                Duration.ofSeconds(30));
        assertThat(text(resolver.resolve(shared, "h1"))).isEqualTo("value");
        assertThat(text(resolver.resolve(shared, "h2"))).isEqualTo("value");
        assertThat(Files.readAllLines(counter)).hasSize(1);

        SecretSource.FromCommand perHost = command("echo x >> '" + counter + "'; echo \"key-$DEPLOY_HOST\"",
                Duration.ofSeconds(30));
        assertThat(text(resolver.resolve(perHost, "h1"))).isEqualTo("key-h1");
        assertThat(text(resolver.resolve(perHost, "h2"))).isEqualTo("key-h2");
        assertThat(text(resolver.resolve(perHost, "h1"))).isEqualTo("key-h1");
        assertThat(Files.readAllLines(counter)).hasSize(3);
    }

    @Test
    void missingFileUnsetVariableFailingCommandAndEmptyValueAreInputErrorsNamingTheField() {
        SecretResolver resolver = new SecretResolver(Map.<String, String>of()::get);
        assertInputError(() -> resolver.resolve(new SecretSource.FromFile(tmp.resolve("none"), AT, "x.file"), "h1"),
                "no such file");
        assertInputError(() -> resolver.resolve(new SecretSource.FromEnv("NOPE", AT, "x.env"), "h1"), "NOPE");
        assertInputError(() -> resolver.resolve(command("echo the-secret-value; exit 3", Duration.ofSeconds(30)),
                "h1"), "status 3");
        assertInputError(() -> resolver.resolve(command("printf '\\n'", Duration.ofSeconds(30)), "h1"), "empty");
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilledAndReported() throws Exception {
        SecretResolver resolver = new SecretResolver();
        Path pids = tmp.resolve("pids");
        // The shell and a child of it; killing the shell alone would leave the child running.
        assertInputError(() -> resolver.resolve(command("sleep 30 & echo $! > '" + pids + "'; echo $$ >> '" + pids
                + "'; wait", Duration.ofMillis(1500)), "h1"), "did not finish within 1500 ms");
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(20, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process " + pid).isNotEqualTo(
                    java.util.Optional.of(true));
        }
    }

    @Test
    void aCommandRunsInTheInventorysDirectory() throws Exception {
        Files.writeString(tmp.resolve("beside.txt"), "from beside\n");
        assertThat(text(new SecretResolver().resolve(command("cat beside.txt", Duration.ofSeconds(30)), "h1")))
                .isEqualTo("from beside");
    }

    private static void assertInputError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String detail) {
        assertThatThrownBy(call).isInstanceOf(DeployException.class)
                .satisfies(e -> {
                    DeployException error = (DeployException) e;
                    assertThat(error.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(error.location()).contains(AT);
                    assertThat(error.host()).contains("h1");
                })
                .hasMessageContaining(detail).hasMessageNotContaining("the-secret-value");
    }
}
