package dev.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 3, each command's idle time, on the local target's transport (the SSH transport: SshDeadlinesIT): a
 * command that neither writes nor reads for its idle limit is stopped with everything it started, while commands that
 * keep producing output or keep taking input run as long as they need. The {@code @Timeout} only keeps a regression
 * from hanging the build.
 */
@Timeout(60)
class IdleDeadlineTest {

    @TempDir
    Path dir;

    private final LocalConnection local = new LocalConnection("laptop");

    @Test
    void aCommandThatMakesNoProgressIsStoppedAtItsIdleLimitWithWhatItStarted() throws Exception {
        Path pid = dir.resolve("pid");
        String script = "sleep 300 & echo $! > '" + pid + "'; wait";

        assertThatThrownBy(() -> local.run(script, HostConnection.StdinWriter.NONE, Duration.ofSeconds(1)))
                .isInstanceOf(IdleWatch.CommandStalled.class)
                .hasMessage("laptop: a command on the host made no progress for 1 s (no output, no input read) and"
                        + " was stopped; the host may have a hung mount or a wedged disk");
        long sleeper = Long.parseLong(Files.readString(pid).strip());
        assertThat(exited(sleeper)).as("the stuck child was killed too, not left for its 300 s").isTrue();
    }

    @Test
    void aCommandThatKeepsWritingRunsPastTheIdleLimit() throws Exception {
        // 5 s in all, a line every 0.2 s: it outlives the 2 s limit only if output counts as progress
        CommandResult result = local.run("i=0; while [ $i -lt 25 ]; do echo tick; sleep 0.2; i=$((i+1)); done",
                HostConnection.StdinWriter.NONE, Duration.ofSeconds(2));

        assertThat(result.ok()).isTrue();
        assertThat(result.stdoutText().lines()).hasSize(25);
    }

    @Test
    void aSilentCommandThatKeepsReadingItsInputRunsPastTheIdleLimit() throws Exception {
        CommandResult result = local.run("wc -c", out -> slowly(out, 25), Duration.ofSeconds(2));

        assertThat(result.ok()).isTrue();
        assertThat(result.stdoutText().strip()).isEqualTo("25");
    }

    /**
     * Whether process {@code pid} has ended within 10 s (killed, it ends at once; a zombie waiting for its new parent
     * to reap it counts as ended: its state in /proc is Z).
     */
    private static boolean exited(long pid) throws Exception {
        for (int i = 0; i < 200; i++) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (!Files.exists(stat)) {
                return true;
            }
            String fields = Files.readString(stat);
            if (fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Writes {@code n} bytes 0.2 s apart: longer in all than the limit, with no pause anywhere near it. */
    private static void slowly(OutputStream out, int n) throws java.io.IOException {
        for (int i = 0; i < n; i++) {
            out.write("x".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
