package dev.deploy.it.cache;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens on a Unix socket (in a test host's bind-mounted directory) and forwards each connection to a TCP port on
 * 127.0.0.1 here: the controller's half of a test host's route to the S3 server. Counts the bytes it carries to the
 * host, so a test sees what the host downloaded from the object store.
 */
final class UnixSocketToTcpBridge implements AutoCloseable {

    private final ServerSocketChannel server;
    private final int port;
    private final Path socket;
    private final AtomicLong bytesToHost = new AtomicLong();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    private UnixSocketToTcpBridge(ServerSocketChannel server, Path socket, int port) {
        this.server = server;
        this.socket = socket;
        this.port = port;
    }

    static UnixSocketToTcpBridge start(Path socket, int port) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        UnixSocketToTcpBridge bridge = new UnixSocketToTcpBridge(server, socket, port);
        daemon(bridge::acceptLoop, "s3-route-accept");
        return bridge;
    }

    /** Bytes sent from the S3 server to the host so far. */
    long bytesToHost() {
        return bytesToHost.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel host;
            try {
                host = server.accept();
            } catch (IOException e) {
                return;
            }
            SocketChannel s3;
            try {
                s3 = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                close(host);
                continue;
            }
            open.add(host);
            open.add(s3);
            java.util.concurrent.atomic.AtomicInteger directions = new java.util.concurrent.atomic.AtomicInteger(2);
            Runnable done = () -> {
                if (directions.decrementAndGet() == 0) {
                    close(host);
                    close(s3);
                    open.remove(host);
                    open.remove(s3);
                }
            };
            daemon(() -> pump(host, s3, null, done), "s3-route-up");
            daemon(() -> pump(s3, host, bytesToHost, done), "s3-route-down");
        }
    }

    private void pump(SocketChannel from, SocketChannel to, AtomicLong counter, Runnable done) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                if (counter != null) {
                    counter.addAndGet(buffer.remaining());
                }
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
        } finally {
            done.run();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort
        }
        open.forEach(UnixSocketToTcpBridge::close);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // best effort
        }
    }

    private static void daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
