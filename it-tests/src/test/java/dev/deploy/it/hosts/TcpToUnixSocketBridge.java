package dev.deploy.it.hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards connections from an ephemeral TCP port on 127.0.0.1 to a Unix domain socket, one pair of copy threads
 * per connection. This is how SSH reaches a test host whose container has no network: the host's sshd listens on a
 * Unix socket in a directory bind-mounted from here.
 *
 * <p>Tests use {@link #dropAllConnections()} to cut every open connection as a failing network would, and
 * {@link #rejectNewConnections(boolean)} to make the host unreachable for a while.
 */
public final class TcpToUnixSocketBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpToUnixSocketBridge.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private final String name;
    private final UnixDomainSocketAddress target;
    private final ServerSocketChannel server;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger linkNumbers = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean rejecting;

    private TcpToUnixSocketBridge(String name, Path unixSocket) throws IOException {
        this.name = name;
        this.target = UnixDomainSocketAddress.of(unixSocket);
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /**
     * Listens on 127.0.0.1 (an ephemeral port) and forwards each accepted connection to {@code unixSocket}, which
     * need not exist yet: a connection made before it does is reset.
     */
    public static TcpToUnixSocketBridge start(String name, Path unixSocket) throws IOException {
        TcpToUnixSocketBridge bridge = new TcpToUnixSocketBridge(name, unixSocket);
        Thread acceptor = new Thread(bridge::acceptLoop, "bridge-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.debug("bridge {}: 127.0.0.1:{} -> {}", name, bridge.port, unixSocket);
        return bridge;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Connections currently forwarded. */
    public int openConnections() {
        return links.size();
    }

    /** Connections accepted since start, including rejected ones. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /**
     * Cuts every open connection at once: the TCP side gets a reset, the host side sees its peer vanish. New
     * connections are still accepted afterwards.
     */
    public void dropAllConnections() {
        List<Link> open = List.copyOf(links);
        LOG.info("bridge {}: dropping {} open connection(s)", name, open.size());
        open.forEach(Link::abort);
    }

    /** While true, new connections are reset right after they are accepted; open ones are untouched. */
    public void rejectNewConnections(boolean reject) {
        this.rejecting = reject;
    }

    /** Stops listening and cuts every open connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("bridge {}: closing the listening socket failed", name, e);
        }
        List.copyOf(links).forEach(Link::abort);
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // close() was called
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.error("bridge {}: accept failed, no more connections will be forwarded", name, e);
                }
                return;
            }
            accepted.incrementAndGet();
            if (rejecting) {
                reset(client);
                continue;
            }
            SocketChannel upstream;
            try {
                upstream = SocketChannel.open(target);
            } catch (IOException e) {
                LOG.debug("bridge {}: cannot reach {} ({}), resetting the client", name, target, e.toString());
                reset(client);
                continue;
            }
            Link link = new Link(linkNumbers.incrementAndGet(), client, upstream);
            links.add(link);
            link.start();
        }
    }

    /** Closes a TCP connection with RST instead of FIN, as a broken network path looks to the peer. */
    private void reset(SocketChannel tcp) {
        try {
            tcp.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            LOG.debug("bridge {}: could not set SO_LINGER=0 on {}", name, tcp, e);
        }
        closeQuietly(tcp);
    }

    private void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("bridge {}: close failed", name, e);
        }
    }

    /** One forwarded connection: two pumps, closed when both directions ended or on the first error. */
    private final class Link {
        private final int number;
        private final SocketChannel tcp;
        private final SocketChannel unix;
        private final AtomicInteger directionsOpen = new AtomicInteger(2);
        private final AtomicBoolean done = new AtomicBoolean();

        Link(int number, SocketChannel tcp, SocketChannel unix) {
            this.number = number;
            this.tcp = tcp;
            this.unix = unix;
        }

        void start() {
            startPump(tcp, unix, "up");
            startPump(unix, tcp, "down");
        }

        private void startPump(SocketChannel from, SocketChannel to, String direction) {
            Thread pump = new Thread(() -> pump(from, to, direction),
                    "bridge-" + name + "-" + number + "-" + direction);
            pump.setDaemon(true);
            pump.start();
        }

        private void pump(SocketChannel from, SocketChannel to, String direction) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                // EOF: pass the half-close on, the other direction may still carry data.
                to.shutdownOutput();
                if (directionsOpen.decrementAndGet() == 0) {
                    finish();
                }
            } catch (ClosedChannelException e) { // includes AsynchronousCloseException: aborted or finished
                if (!done.get()) {
                    LOG.debug("bridge {}: connection {} {} closed under the pump", name, number, direction, e);
                }
                finish();
            } catch (IOException e) {
                // A reset or broken pipe from either end is normal for a relay: end the whole connection.
                LOG.debug("bridge {}: connection {} {} ended: {}", name, number, direction, e.toString());
                finish();
            }
        }

        /** Normal end: close both sides (FIN). */
        void finish() {
            if (done.compareAndSet(false, true)) {
                closeQuietly(tcp);
                closeQuietly(unix);
                links.remove(this);
            }
        }

        /** Abrupt end: reset the TCP side, close the host side. */
        void abort() {
            if (done.compareAndSet(false, true)) {
                reset(tcp);
                closeQuietly(unix);
                links.remove(this);
            }
        }
    }
}
