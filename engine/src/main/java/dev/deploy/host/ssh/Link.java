package dev.deploy.host.ssh;

import net.schmizz.sshj.common.LoggerFactory;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.channel.Channel;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.common.SSHException;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The byte stream an SSH connection runs over: a TCP socket, a {@code direct-tcpip} tunnel through a jump host, or
 * the stdin/stdout of a {@code ProxyCommand}. Every read is time-stamped ({@link #lastReadNanos()}) so that a
 * {@link HopWatch} can tell a silent server, and {@link #close()} unblocks every read and write on it at once, which
 * is how deadlines are enforced whatever sshj is waiting for.
 */
final class Link implements Closeable {

    private final String description;
    private final InputStream in;
    private final OutputStream out;
    private final Closeable underlying;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastReadNanos = System.nanoTime();

    private Link(String description, InputStream in, OutputStream out, Closeable underlying) {
        this.description = description;
        this.in = new Stamped(in);
        this.out = out;
        this.underlying = underlying;
    }

    /** Opens a TCP connection, giving up after {@code timeout}. */
    static Link tcp(String address, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new Link(address + ":" + port, socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A tunnel opened by the hop before. */
    static Link tunnel(DirectConnection tunnel) {
        return new Link(tunnel.getRemoteHost() + ":" + tunnel.getRemotePort(), tunnel.getInputStream(),
                tunnel.getOutputStream(), tunnel);
    }

    /** A running ProxyCommand: its stdout is what the server sends, its stdin what it receives. */
    static Link process(Process process, String command) {
        return new Link("ProxyCommand " + command, process.getInputStream(), process.getOutputStream(), () -> {
            // What the command started (a background relay, a nested ssh) goes with it.
            java.util.List<ProcessHandle> started = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            started.forEach(ProcessHandle::destroyForcibly);
        });
    }

    String description() {
        return description;
    }

    /** When a byte last arrived from the server ({@link System#nanoTime()}). */
    long lastReadNanos() {
        return lastReadNanos;
    }

    /** Counts as a read now: the time spent waiting on this machine is not the server's silence. */
    void touch() {
        lastReadNanos = System.nanoTime();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The link as the channel sshj's {@code connectVia} reads from and writes to. */
    Channel asChannel() {
        return new StreamChannel();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                underlying.close();
            } catch (IOException | RuntimeException e) {
                // Closing is what matters; a failure to say goodbye does not.
            }
        }
    }

    /** Records the time of every read that returned data. */
    private final class Stamped extends FilterInputStream {
        Stamped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                lastReadNanos = System.nanoTime();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                lastReadNanos = System.nanoTime();
            }
            return n;
        }
    }

    /**
     * Just enough of sshj's {@link Channel} for {@code SocketClient.connectVia}, which only takes its two streams:
     * the transport then runs over them as over a socket.
     */
    private final class StreamChannel implements Channel {
        @Override
        public void close() {
            Link.this.close();
        }

        @Override
        public boolean getAutoExpand() {
            return false;
        }

        @Override
        public int getID() {
            return -1;
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public int getLocalMaxPacketSize() {
            return 0;
        }

        @Override
        public long getLocalWinSize() {
            return 0;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public int getRecipient() {
            return -1;
        }

        @Override
        public Charset getRemoteCharset() {
            return StandardCharsets.UTF_8;
        }

        @Override
        public int getRemoteMaxPacketSize() {
            return 0;
        }

        @Override
        public long getRemoteWinSize() {
            return 0;
        }

        @Override
        public String getType() {
            return "link";
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void setAutoExpand(boolean autoExpand) {
        }

        @Override
        public void join() {
        }

        @Override
        public void join(long timeout, TimeUnit unit) {
        }

        @Override
        public boolean isEOF() {
            return closed.get();
        }

        @Override
        public LoggerFactory getLoggerFactory() {
            return LoggerFactory.DEFAULT;
        }

        @Override
        public void handle(Message msg, SSHPacket buf) {
        }

        @Override
        public void notifyError(SSHException error) {
        }
    }
}
