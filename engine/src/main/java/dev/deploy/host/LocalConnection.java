package dev.deploy.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Runs scripts on this machine with {@code /bin/sh}: the transport of a {@code local:} host. */
public final class LocalConnection implements HostConnection {

    private final String hostName;
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();

    public LocalConnection(String hostName) {
        this.hostName = hostName;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public CommandResult run(String script, StdinWriter stdin) throws IOException {
        return run(script, stdin, IdleWatch.DEFAULT_LIMIT);
    }

    @Override
    public CommandResult run(String script, StdinWriter stdin, Duration idleLimit) throws IOException {
        roundTrips.incrementAndGet();
        Process process = new ProcessBuilder("/bin/sh", "-c", script).start();
        try (IdleWatch idle = new IdleWatch(idleLimit, () -> ProcessTree.stop(process))) {
            CompletableFuture<byte[]> out = drain(idle.watch(process.getInputStream()));
            CompletableFuture<byte[]> err = drain(idle.watch(process.getErrorStream()));
            try (OutputStream in = new CountingOutputStream(idle.watch(process.getOutputStream()), bytesSent)) {
                stdin.writeTo(in);
            } catch (IOException e) {
                // The script may exit before reading all of its input; its exit code tells what happened.
            }
            try {
                int exit = process.waitFor();
                byte[] stdout = out.join();
                byte[] stderr = err.join();
                bytesReceived.addAndGet(stdout.length + stderr.length);
                if (idle.expired()) {
                    throw idle.stalled(hostName);
                }
                return new CommandResult(exit, stdout, new String(stderr, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                ProcessTree.stop(process);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running a command on " + hostName, e);
            }
        }
    }

    @Override
    public RunningCommand start(String script) throws IOException {
        return start(script, new byte[0]);
    }

    @Override
    public RunningCommand start(String script, byte[] firstInput) throws IOException {
        roundTrips.incrementAndGet();
        Process process = new ProcessBuilder("/bin/sh", "-c", script)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (firstInput.length > 0) {
            process.getOutputStream().write(firstInput);
            process.getOutputStream().flush();
            bytesSent.addAndGet(firstInput.length);
        }
        InputStream stdout = new CountingInputStream(process.getInputStream(), bytesReceived);
        OutputStream stdin = process.getOutputStream();
        return new RunningCommand() {
            @Override
            public InputStream stdout() {
                return stdout;
            }

            @Override
            public OutputStream stdin() {
                return stdin;
            }

            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public void close() throws IOException {
                process.getOutputStream().close();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** The host is this machine: the address itself, nothing in between. */
    @Override
    public Forward forward(String address, int port) {
        InetSocketAddress target = new InetSocketAddress(address, port);
        return new Forward() {
            @Override
            public InetSocketAddress localAddress() {
                return target;
            }

            @Override
            public Optional<String> lastFailure() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public TransportStats stats() {
        return new TransportStats(roundTrips.get(), bytesSent.get(), bytesReceived.get());
    }

    @Override
    public void close() {
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        // A thread per stream: the common pool may have a single worker on a small machine, and stdout and stderr
        // must be drained at the same time or a chatty command blocks.
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread drainer = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                result.complete(buffer.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "local-drain");
        drainer.setDaemon(true);
        drainer.start();
        return result;
    }
}
