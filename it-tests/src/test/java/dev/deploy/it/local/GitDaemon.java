package dev.deploy.it.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on 127.0.0.1 serving the bare repositories under a directory (a stand-in for GitHub that
 * keeps the tests off the network): {@code git://127.0.0.1:PORT/NAME.git}.
 */
public final class GitDaemon implements AutoCloseable {

    private final Process process;
    private final int port;

    private GitDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GitDaemon serve(Path base) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--informative-errors",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + base, base.toString())
                .redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
        GitDaemon daemon = new GitDaemon(process, port);
        for (int attempt = 0; attempt < 200 && process.isAlive(); attempt++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return daemon;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        daemon.close();
        throw new IllegalStateException("git daemon did not start on port " + port);
    }

    /** {@code git://127.0.0.1:PORT/name}. */
    public String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
