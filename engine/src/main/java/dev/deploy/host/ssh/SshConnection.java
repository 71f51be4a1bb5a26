package dev.deploy.host.ssh;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.CountingInputStream;
import dev.deploy.host.CountingOutputStream;
import dev.deploy.host.HostConnection;
import dev.deploy.host.IdleWatch;
import dev.deploy.host.Shell;
import dev.deploy.host.TransportStats;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs scripts on a host over SSH: the transport of an {@code ssh:} host. One SSH connection (through its jump hosts,
 * if any) carries every command; each command is one exec channel running {@code /bin/sh -c <script>}, with its stdin
 * streamed from the caller and its stdout and stderr read concurrently. It behaves like {@code LocalConnection}.
 */
public final class SshConnection implements HostConnection {

    /** Stdin is handed to the channel in chunks of this size (two packets of OpenSSH's default 32 KiB). */
    private static final int STDIN_BUFFER_BYTES = 64 * 1024;

    private final String hostName;
    private final List<SshConnector.Hop> chain;
    private final SSHClient client;
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();

    private SshConnection(String hostName, List<SshConnector.Hop> chain) {
        this.hostName = hostName;
        this.chain = chain;
        this.client = chain.get(chain.size() - 1).client();
    }

    /**
     * Connects, checks the host key and logs in.
     *
     * @throws DeployException of kind HOST, with a one-line message, when the host cannot be reached, its key is not
     *                         trusted or it refuses the login
     */
    public static SshConnection open(SshSettings settings) {
        return new SshConnection(settings.hostName(), SshConnector.connect(settings));
    }

    /** The exec request for a script: the login shell of the remote user parses it, {@code /bin/sh} runs the script. */
    static String execCommand(String script) {
        return "/bin/sh -c " + Shell.quote(script);
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
        Session session;
        Session.Command command;
        try {
            session = startSession();
        } catch (IOException e) {
            throw lost(e);
        }
        try {
            command = session.exec(execCommand(script));
        } catch (IOException | RuntimeException e) {
            closeAfter(session, e);
            throw rethrown(e);
        }
        Thread waiting = Thread.currentThread();
        IdleWatch idle = new IdleWatch(idleLimit, () -> stop(command, waiting));
        CommandResult result;
        try {
            result = collect(command, stdin, idle);
        } catch (IOException | RuntimeException e) {
            if (idle.finish()) {
                throw stalled(idle);
            }
            if (e instanceof IOException io && isInterruption(io)) {
                kill(command);
            }
            closeAfter(session, e);
            throw rethrown(e);
        }
        if (idle.finish()) {
            throw stalled(idle);
        }
        try {
            session.close();
        } catch (IOException e) {
            throw lost(e);
        }
        return result;
    }

    /**
     * The error for a command its idle watch stopped. Its channel is left to the connection's close: closing it now
     * would wait for a host that cannot end the command. The interrupt the watch sent this thread is cleared (after
     * {@link IdleWatch#finish} none can come any more).
     */
    private IOException stalled(IdleWatch idle) {
        Thread.interrupted();
        return idle.stalled(hostName);
    }

    /**
     * A command past its idle limit: a KILL signal (where the server supports signals) and the thread waiting for it
     * interrupted, so the run ends now even when the host cannot end the command (a process in a hung mount).
     */
    private static void stop(Session.Command command, Thread waiting) {
        waiting.interrupt();
        // the signal is a write on the transport, which a stuck host may block: not on the watch's own thread
        Thread signal = new Thread(() -> kill(command), "command-idle-kill");
        signal.setDaemon(true);
        signal.start();
    }

    /** An IOException as {@link #lost}; a RuntimeException as it is. */
    private IOException rethrown(Exception e) {
        if (e instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        return lost((IOException) e);
    }

    private static void closeAfter(Session session, Exception failure) {
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private CommandResult collect(Session.Command command, StdinWriter stdin, IdleWatch idle) throws IOException {
        CompletableFuture<byte[]> out = StreamDrain.collect(idle.watch(command.getInputStream()),
                hostName + "-stdout");
        CompletableFuture<byte[]> err = StreamDrain.collect(idle.watch(command.getErrorStream()),
                hostName + "-stderr");
        // Buffered: writers such as a tar stream write 512-byte records, and one SSH packet per record made pushes
        // several times slower than tar | ssh (see docs/BENCHMARKS.md). Closing flushes the rest.
        try (OutputStream in = new CountingOutputStream(
                new BufferedOutputStream(idle.watch(new WindowedStdin(command)), STDIN_BUFFER_BYTES), bytesSent)) {
            stdin.writeTo(in);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            // The script may exit before reading all of its input; its exit code tells what happened.
        }
        if (idle.expired()) {
            // the watch's interrupt may have been taken by the writer: do not wait for a command it stopped
            throw new InterruptedIOException("stopped by its idle deadline");
        }
        command.join();
        byte[] stdout = await(out);
        byte[] stderr = await(err);
        bytesReceived.addAndGet(stdout.length + stderr.length);
        return new CommandResult(exitCode(command), stdout, new String(stderr, StandardCharsets.UTF_8));
    }

    @Override
    public RunningCommand start(String script) throws IOException {
        return start(script, new byte[0]);
    }

    @Override
    public RunningCommand start(String script, byte[] firstInput) throws IOException {
        roundTrips.incrementAndGet();
        Session session = startSession();
        try {
            Session.Command command = session.exec(execCommand(script));
            StreamDrain.discard(command.getErrorStream(), hostName + "-stderr");
            StartedCommand started = new StartedCommand(session, command);
            if (firstInput.length > 0) {
                started.stdin().write(firstInput);
                bytesSent.addAndGet(firstInput.length);
            }
            return started;
        } catch (IOException e) {
            session.close();
            throw lost(e);
        }
    }

    /**
     * A new session channel. sshj reports a connection that is already gone with an unchecked exception
     * ({@code IllegalStateException: Not connected}); this transport reports every broken connection as an
     * {@link IOException} naming the host, as {@link HostConnection#run} promises, so no step mistakes a cut network
     * for a bug.
     */
    private Session startSession() throws IOException {
        try {
            return client.startSession();
        } catch (IllegalStateException | net.schmizz.sshj.common.SSHRuntimeException e) {
            throw new IOException(hostName + ": SSH connection lost: " + SshFailures.describe(e), e);
        }
    }

    @Override
    public boolean isOpen() {
        return client.isConnected() && client.isAuthenticated();
    }

    /** A local listener whose connections each open a {@code direct-tcpip} channel; each channel is a round trip. */
    @Override
    public Forward forward(String address, int port) throws IOException {
        return SshForward.open(client, hostName, address, port, roundTrips, bytesSent, bytesReceived);
    }

    @Override
    public TransportStats stats() {
        return new TransportStats(roundTrips.get(), bytesSent.get(), bytesReceived.get());
    }

    @Override
    public void close() {
        SshConnector.closeAll(chain);
    }

    /**
     * The exit code as {@code sh} would report it: the exit status, or 128 + the signal number when the command was
     * killed by a signal (what {@code LocalConnection} sees for a killed process).
     */
    private int exitCode(Session.Command command) throws IOException {
        Integer status = command.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal signal = command.getExitSignal();
        Integer number = signal == null ? null : SignalNumbers.of(signal);
        if (number != null) {
            return 128 + number;
        }
        throw new IOException(hostName + ": the command ended without an exit status"
                + (signal == null ? "" : " (signal " + signal + ")"));
    }

    private static byte[] await(CompletableFuture<byte[]> drained) throws IOException {
        try {
            return drained.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private IOException lost(IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(hostName + ":")) {
            return e;
        }
        if (isInterruption(e)) {
            Thread.currentThread().interrupt();
            return new IOException("interrupted while running a command on " + hostName, e);
        }
        for (SshConnector.Hop hop : chain) {
            if (hop.watch().expired().isPresent()) {
                String which = hop == chain.get(chain.size() - 1) ? "" : "jump host " + hop.settings().hostName() + ": ";
                return new IOException(hostName + ": SSH connection lost: " + which + hop.watch().expired().get(), e);
            }
        }
        return new IOException(hostName + ": SSH connection failed: " + SshFailures.describe(e), e);
    }

    private static boolean isInterruption(IOException e) {
        return e instanceof InterruptedIOException || e.getCause() instanceof InterruptedException;
    }

    /**
     * Asks the server to kill an abandoned command, as LocalConnection destroys its process; closing the channel
     * alone would leave a command that neither reads nor writes running. Best effort: OpenSSH honours the request
     * for ordinary users but refuses it for root logins, which it runs without privilege separation.
     */
    private static void kill(Session.Command command) {
        try {
            command.signal(Signal.KILL);
        } catch (IOException | RuntimeException e) {
            // The channel is closed next anyway.
        }
    }

    /** A command started with {@link #start(String)}; closing sends EOF to its stdin and waits for it to end. */
    private final class StartedCommand implements RunningCommand {
        private final Session session;
        private final Session.Command command;
        private final InputStream stdout;
        private final OutputStream stdin;

        StartedCommand(Session session, Session.Command command) {
            this.session = session;
            this.command = command;
            this.stdout = new CountingInputStream(command.getInputStream(), bytesReceived);
            // WindowedStdin: a write waits for window space only while the command runs, and HopWatch closes a
            // connection that went silent, which ends any wait on it.
            this.stdin = new WindowedStdin(command);
        }

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
            return command.isOpen() && command.getExitStatus() == null && command.getExitSignal() == null;
        }

        @Override
        public void close() throws IOException {
            try (session) {
                try {
                    stdin.close();
                } catch (IOException e) {
                    // Already ended; the join below returns at once.
                }
                command.join();
            } catch (IOException e) {
                throw lost(e);
            } catch (IllegalStateException | net.schmizz.sshj.common.SSHRuntimeException e) {
                throw lost(new IOException(SshFailures.describe(e), e));
            }
        }
    }
}
