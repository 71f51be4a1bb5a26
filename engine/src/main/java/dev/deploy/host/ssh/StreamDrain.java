package dev.deploy.host.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a stream to its end on a thread of its own. stdout and stderr of a command share one SSH channel window, so
 * both must be read at the same time as stdin is written, or a chatty command stalls.
 */
final class StreamDrain {

    private StreamDrain() {
    }

    /** Collects every byte of {@code stream}. */
    static CompletableFuture<byte[]> collect(InputStream stream, String threadName) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return copy(stream, buffer, threadName).thenApply(done -> buffer.toByteArray());
    }

    /** Reads and drops every byte of {@code stream}. */
    static CompletableFuture<Void> discard(InputStream stream, String threadName) {
        return copy(stream, OutputStream.nullOutputStream(), threadName);
    }

    private static CompletableFuture<Void> copy(InputStream stream, OutputStream sink, String threadName) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread drainer = new Thread(() -> {
            try (stream) {
                stream.transferTo(sink);
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(new UncheckedIOException(e));
            } catch (RuntimeException e) {
                // sshj may report a dead connection unchecked; the reader must still end, or join() waits forever.
                done.completeExceptionally(new UncheckedIOException(new IOException(SshFailures.describe(e), e)));
            }
        }, threadName);
        drainer.setDaemon(true);
        drainer.start();
        return done;
    }
}
