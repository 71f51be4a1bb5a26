package dev.deploy.host.ssh;

import dev.deploy.host.HostConnection;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Local port forwarding over the host's SSH connection: a listener on 127.0.0.1 at an ephemeral port; each accepted
 * socket gets its own {@code direct-tcpip} channel to the target as the host sees it, and two threads copy bytes
 * between them. Nothing needs to be installed on the host (no curl): sshd opens the TCP connection itself.
 */
final class SshForward implements HostConnection.Forward {

    private static final int BUFFER = 16 * 1024;

    private final SSHClient client;
    private final String hostName;
    private final String address;
    private final int port;
    private final ServerSocket listener;
    private final AtomicLong channelsOpened;
    private final AtomicLong bytesSent;
    private final AtomicLong bytesReceived;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private volatile String lastFailure;

    private SshForward(SSHClient client, String hostName, String address, int port, ServerSocket listener,
                       AtomicLong channelsOpened, AtomicLong bytesSent, AtomicLong bytesReceived) {
        this.client = client;
        this.hostName = hostName;
        this.address = address;
        this.port = port;
        this.listener = listener;
        this.channelsOpened = channelsOpened;
        this.bytesSent = bytesSent;
        this.bytesReceived = bytesReceived;
    }

    /** Starts listening; channels are opened per accepted connection and counted in {@code channelsOpened}. */
    static SshForward open(SSHClient client, String hostName, String address, int port, AtomicLong channelsOpened,
                           AtomicLong bytesSent, AtomicLong bytesReceived) throws IOException {
        ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        SshForward forward = new SshForward(client, hostName, address, port, listener, channelsOpened, bytesSent,
                bytesReceived);
        daemon(forward::acceptLoop, hostName + "-forward-" + port).start();
        return forward;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    @Override
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public void close() {
        closeQuietly(listener);
        for (Closeable c : open) {
            closeQuietly(c);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            daemon(() -> connect(socket), hostName + "-forward-open").start();
        }
    }

    private void connect(Socket socket) {
        open.add(socket);
        DirectConnection channel;
        try {
            channelsOpened.incrementAndGet();
            channel = client.newDirectConnection(address, port);
        } catch (IOException | RuntimeException e) {
            lastFailure = address + ":" + port + " on " + hostName + ": " + SshFailures.describe(e);
            closeQuietly(socket);
            open.remove(socket);
            return;
        }
        lastFailure = null;
        open.add(channel);
        Runnable closeBoth = () -> {
            closeQuietly(channel);
            closeQuietly(socket);
            open.remove(channel);
            open.remove(socket);
        };
        daemon(() -> {
            try {
                copy(socket.getInputStream(), channel.getOutputStream(), bytesSent);
                channel.getOutputStream().close(); // EOF to the target: the client has finished sending
            } catch (IOException e) {
                closeBoth.run();
            }
        }, hostName + "-forward-out").start();
        try {
            copy(channel.getInputStream(), socket.getOutputStream(), bytesReceived);
        } catch (IOException e) {
            // The peer went away; both ends are closed below.
        } finally {
            closeBoth.run();
        }
    }

    private static void copy(InputStream in, OutputStream out, AtomicLong counter) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            out.flush();
            counter.addAndGet(n);
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            // Closing is best effort.
        }
    }
}
