package dev.deploy.it.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on 127.0.0.1 and a free port, with a fresh ed25519 host key and an authorized_keys file of
 * its own, all in a given directory. Needs {@code /usr/sbin/sshd} (Debian package openssh-server); runs as the
 * current user, which may log in with the given keys. Closing stops it.
 */
final class OpenSshServer implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String ADDRESS = "127.0.0.1";

    private final Process process;
    private final int port;
    private final Path hostKey;
    private final StringBuffer log;

    private OpenSshServer(Process process, int port, Path hostKey, StringBuffer log) {
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
        this.log = log;
    }

    /** Starts sshd in {@code dir}, letting in the holders of {@code clientKeys} (private key paths). */
    static OpenSshServer start(Path dir, List<Path> clientKeys) throws IOException, InterruptedException {
        return start(dir, clientKeys, "VERBOSE");
    }

    /** Like {@link #start(Path, List)}, logging at {@code logLevel} (an sshd_config LogLevel such as DEBUG1). */
    static OpenSshServer start(Path dir, List<Path> clientKeys, String logLevel)
            throws IOException, InterruptedException {
        return start(dir, clientKeys, logLevel, "ed25519");
    }

    /** Like {@link #start(Path, List, String)}, with a host key of {@code hostKeyType} (ed25519, ecdsa, rsa). */
    static OpenSshServer start(Path dir, List<Path> clientKeys, String logLevel, String hostKeyType)
            throws IOException, InterruptedException {
        return start(dir, clientKeys, logLevel, hostKeyType, List.of());
    }

    /**
     * Like {@link #start(Path, List, String, String)}, with {@code firstLines} at the top of sshd_config (sshd takes
     * the first value of a keyword, so these win over the defaults here).
     */
    static OpenSshServer start(Path dir, List<Path> clientKeys, String logLevel, String hostKeyType,
                               List<String> firstLines) throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " is missing: install it with apt-get install -y openssh-server");
        }
        Files.createDirectories(dir);
        // Privilege separation needs this empty directory when sshd runs as root.
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Path hostKey = SshKeygen.generate(dir.resolve("ssh_host_" + hostKeyType + "_key"), "", hostKeyType, "RFC4716");
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.write(authorizedKeys, SshKeygen.publicKeyLines(clientKeys));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("", firstLines.stream().map(line -> line + "\n").toList())
                    + config(port, hostKey, authorizedKeys, logLevel));
            try {
                return launch(config, port, hostKey);
            } catch (IOException e) {
                last = e; // most likely the port was taken in between; try another
            }
        }
        throw last;
    }

    int port() {
        return port;
    }

    /** The line a known_hosts file needs to trust this server. */
    String knownHostsLine() throws IOException {
        String[] publicKey = Files.readString(publicHostKey()).strip().split("\\s+");
        return "[" + ADDRESS + "]:" + port + " " + publicKey[0] + " " + publicKey[1];
    }

    Path publicHostKey() {
        return hostKey.resolveSibling(hostKey.getFileName() + ".pub");
    }

    /** What sshd wrote to stderr so far. */
    String log() {
        return log.toString();
    }

    /** Whether sshd logs {@code text} within {@code limit}: its log is read on another thread. */
    boolean awaitLog(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!log.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static OpenSshServer launch(Path config, int port, Path hostKey) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .start();
        StringBuffer log = new StringBuffer();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.append(line).append('\n');
                    if (line.contains("Server listening on " + ADDRESS + " port " + port)) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // sshd is gone; whoever waits sees it.
            } finally {
                listening.countDown();
            }
        }, "sshd-log-" + port);
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(10, TimeUnit.SECONDS) || !process.isAlive()) {
            process.destroyForcibly();
            throw new IOException("sshd did not start on port " + port + ":\n" + log);
        }
        return new OpenSshServer(process, port, hostKey, log);
    }

    private static String config(int port, Path hostKey, Path authorizedKeys, String logLevel) {
        return String.join("\n",
                "ListenAddress " + ADDRESS + ":" + port,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "PidFile none",
                "UsePAM no",
                "StrictModes no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                "MaxSessions 50",
                "LogLevel " + logLevel,
                "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return socket.getLocalPort();
        }
    }
}
