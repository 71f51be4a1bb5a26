package dev.deploy.it.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real server, to play a host that stops answering: once {@link #freeze()}
 * is called it keeps every connection open but passes no more bytes either way (like a host that lost power or a
 * network that drops packets). With {@code silent} it never connects onward: it accepts and never speaks.
 */
final class FreezableRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final boolean silent;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;

    private FreezableRelay(int targetPort, boolean silent) throws IOException {
        this.listener = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        this.targetPort = targetPort;
        this.silent = silent;
        Thread accept = new Thread(this::acceptLoop, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Relays to {@code 127.0.0.1:targetPort} until frozen. */
    static FreezableRelay to(int targetPort) throws IOException {
        return new FreezableRelay(targetPort, false);
    }

    /** Accepts connections and never writes a byte (not even an SSH banner). */
    static FreezableRelay silent() throws IOException {
        return new FreezableRelay(0, true);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on no byte passes in either direction; connections stay open. */
    void freeze() {
        frozen = true;
    }

    /** How many connections were accepted. */
    int accepted() {
        return (int) sockets.stream().filter(s -> s.getLocalPort() == port()).count();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                if (silent) {
                    continue;
                }
                Socket server = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
                sockets.add(server);
                pump(client.getInputStream(), server.getOutputStream());
                pump(server.getInputStream(), client.getOutputStream());
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    while (frozen) {
                        Thread.sleep(50); // hold the bytes: the host "stopped answering"
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection gone
            }
        }, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }
}
