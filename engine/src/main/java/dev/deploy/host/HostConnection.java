package dev.deploy.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The transport seam: a way to run POSIX shell scripts on one host, with bytes streamed to their standard input.
 * The engine builds every remote step as a quoted {@link ShellScript}; a local target runs them with {@code sh},
 * an SSH target over one reused connection. Implementations count round trips and bytes for reports and benchmarks.
 */
public interface HostConnection extends Closeable {

    /** Writes a command's standard input; the stream is closed by the connection afterwards. */
    @FunctionalInterface
    interface StdinWriter {
        StdinWriter NONE = out -> { };

        void writeTo(OutputStream out) throws IOException;
    }

    /** Name of the host this connection reaches, for messages. */
    String hostName();

    /**
     * Runs {@code script} with {@code sh} on the host and waits for it. One call is one round trip.
     *
     * @throws IOException when the host cannot be reached or the connection breaks (not for a non-zero exit); a
     *                     broken connection is never reported with an unchecked exception
     */
    CommandResult run(String script, StdinWriter stdin) throws IOException;

    /**
     * As {@link #run(String, StdinWriter)}, stopping the command when it makes no progress (no output, no input
     * read) for {@code idleLimit}: {@link IdleWatch}, whose error is an {@link IdleWatch.CommandStalled}. The
     * two-argument form uses {@link IdleWatch#DEFAULT_LIMIT}; steps with a longer bound of their own pass it here.
     * Connections without a transport of their own (wrappers in tests) ignore the limit.
     */
    default CommandResult run(String script, StdinWriter stdin, Duration idleLimit) throws IOException {
        return run(script, stdin);
    }

    default CommandResult run(String script) throws IOException {
        return run(script, StdinWriter.NONE);
    }

    /**
     * Starts {@code script} and returns at once; its stdin stays open until the handle is closed. Used for state
     * that must live exactly as long as this controller's session, such as the per-host lock.
     */
    RunningCommand start(String script) throws IOException;

    /**
     * Like {@link #start(String)}, writing {@code firstInput} to the command's stdin before anything else (a become
     * password that {@code sudo -S} reads). The bytes are sent, never put on a command line.
     */
    default RunningCommand start(String script, byte[] firstInput) throws IOException {
        if (firstInput.length == 0) {
            return start(script);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send input to a started command");
    }

    /**
     * Makes TCP port {@code port} of {@code address} as seen from the host reachable from this controller, for
     * example a service's HTTP port on the host's loopback. Close the returned forward to release it.
     *
     * @throws IOException when the forward cannot be set up (not when the port does not answer: a connection through
     *                     the forward fails then, and {@link Forward#lastFailure()} says why)
     */
    Forward forward(String address, int port) throws IOException;

    /**
     * Whether the connection can still carry commands. A connection that broke (network cut, host gone) says
     * {@code false}, so a caller can tell a lost host from a bug when something unexpected was thrown.
     */
    default boolean isOpen() {
        return true;
    }

    /** Round trips and bytes so far. */
    TransportStats stats();

    /** A command started with {@link #start(String)}. Closing it closes its stdin and waits for it to end. */
    interface RunningCommand extends Closeable {
        InputStream stdout();

        /**
         * The command's standard input, after any {@code firstInput}, for bytes sent while it runs (such as the deploy
         * lock's heartbeat). Writes are sent at once; a write fails with an {@link IOException} once the command has
         * ended or the connection broke. Closing it sends end of input; {@link #close()} does that too. Like SSH
         * keep-alives, these bytes are not counted in {@link #stats()} (a run that changes nothing sends nothing).
         */
        OutputStream stdin();

        /** Whether the command is still running. */
        boolean isAlive();

        @Override
        void close() throws IOException;
    }

    /** A TCP endpoint on this controller that leads to an address and port as seen from the host. */
    interface Forward extends Closeable {
        /** Where to connect on this machine. */
        InetSocketAddress localAddress();

        /** Why the last connection through the forward could not reach its target, if it could not. */
        Optional<String> lastFailure();

        @Override
        void close();
    }
}
