package dev.deploy.it.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a local program from an argument list (no shell), with a time limit, capturing its output. */
public final class LocalProcess {

    private static final long OUTPUT_GRACE_SECONDS = 10;

    private LocalProcess() {
    }

    public static ExecResult run(List<String> command, Duration timeout) {
        return run(command, null, timeout);
    }

    /**
     * Runs {@code command}, feeds it {@code stdin} (or an empty stdin when null) and waits at most {@code timeout};
     * a program still running then is killed and reported as an exception.
     */
    public static ExecResult run(List<String> command, String stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            // A grandchild that inherited the pipes could keep them open: bound the wait for EOF too.
            return new ExecResult(process.exitValue(), out.get(OUTPUT_GRACE_SECONDS, TimeUnit.SECONDS),
                    err.get(OUTPUT_GRACE_SECONDS, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("talking to " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(command + " exited but its output did not end", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the output of " + command + " failed", e.getCause());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Reads a stream to its end on a thread of its own (the common pool may have a single thread). */
    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                text.complete(buffer.toString(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                text.completeExceptionally(e);
            }
        }, "local-process-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
