package dev.deploy.it.cache;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Debian test host's route to the S3 server on this machine (test set-up only; the host has no network): a
 * python3 listener inside the container on 127.0.0.1:PORT (the S3 server's own port number, so presigned URLs name
 * the address the host uses) forwards to a Unix socket in the bind-mounted directory, whose other end here connects to
 * 127.0.0.1:PORT. Nothing is installed on the host: the listener runs as a transient systemd unit from the mount.
 * No traffic crosses the SSH connection, and none goes anywhere but 127.0.0.1.
 */
public final class HostRoute implements AutoCloseable {

    private static final String UNIT = "deploy-test-s3-route";

    private final DebianTestHost host;
    private final UnixSocketToTcpBridge bridge;

    private HostRoute(DebianTestHost host, UnixSocketToTcpBridge bridge) {
        this.host = host;
        this.bridge = bridge;
    }

    public static HostRoute open(DebianTestHost host, int port) {
        try {
            Path mount = host.mountDir();
            try (InputStream program = HostRoute.class.getResourceAsStream("/cache/tcp-to-unix.py")) {
                Files.copy(program, mount.resolve("tcp-to-unix.py"), StandardCopyOption.REPLACE_EXISTING);
            }
            UnixSocketToTcpBridge bridge = UnixSocketToTcpBridge.start(mount.resolve("s3.sock"), port);
            String socket = DebianTestHost.CONTAINER_DIR + "/s3.sock";
            host.exec("systemd-run", "--unit=" + UNIT, "--quiet", "/usr/bin/python3",
                    DebianTestHost.CONTAINER_DIR + "/tcp-to-unix.py", String.valueOf(port), socket)
                    .requireSuccess("starting the S3 route on " + host.name());
            HostRoute route = new HostRoute(host, bridge);
            route.awaitListening(port);
            return route;
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up the S3 route of " + host.name(), e);
        }
    }

    private void awaitListening(int port) {
        String probe = "import socket; socket.create_connection(('127.0.0.1', " + port + "), 2).close()";
        for (int i = 0; i < 100; i++) {
            ExecResult result = host.exec("python3", "-c", probe);
            if (result.exitCode() == 0) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the S3 route on " + host.name() + " does not listen on 127.0.0.1:" + port);
    }

    /** Bytes the host received from the S3 server through this route. */
    public long bytesToHost() {
        return bridge.bytesToHost();
    }

    @Override
    public void close() {
        host.exec("systemctl", "stop", UNIT);
        bridge.close();
    }
}
