package dev.deploy.it.hosts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Debian host for integration tests: a container of a {@link TestHostImage} booting systemd, reachable by
 * SSH as root on {@code 127.0.0.1:}{@link #sshPort()} with {@link #privateKey()}.
 *
 * <p>The container has no network. Its sshd is socket-activated on {@value #CONTAINER_DIR}/ssh.sock, a Unix
 * socket in a directory bind-mounted from a temporary directory here, and a {@link TcpToUnixSocketBridge} forwards
 * the TCP port to it. The same directory holds the {@code authorized_keys} file with the run's
 * {@link ClientKeyPair}. Each container generates its own host key at boot; {@link #hostKeyLine()} is its
 * known_hosts line.
 *
 * <p>{@link #close()} stops the bridge and removes the container; hosts still open when the JVM exits are closed by
 * a shutdown hook (Testcontainers' reaper container cannot be used here).
 */
public final class DebianTestHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DebianTestHost.class);

    /** Where the host's bind-mounted directory appears in the container (fixed by build-image.sh). */
    public static final String CONTAINER_DIR = "/testhost";
    /** Label on every test-host container, for manual clean-up: docker ps -aq --filter label=... */
    public static final String CONTAINER_LABEL = "dev.deploy.testhost";
    /** System property: seconds to wait for systemd and sshd (default 60). */
    public static final String BOOT_TIMEOUT_PROPERTY = "deploy.testhost.bootTimeoutSeconds";

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Set<DebianTestHost> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(host -> {
            LOG.warn("closing test host {} left open at JVM exit", host.name);
            host.close();
        }), "close-test-hosts"));
    }

    private final String name;
    private final TestHostImage image;
    private final Path localDir;
    private final GenericContainer<?> container;
    private final AtomicBoolean closed = new AtomicBoolean();
    private TcpToUnixSocketBridge bridge;
    private String hostKeyLine;
    private Path knownHostsFile;
    private BootTimings bootTimings;

    private DebianTestHost(String name, TestHostImage image, Path localDir, GenericContainer<?> container) {
        this.name = name;
        this.image = image;
        this.localDir = localDir;
        this.container = container;
    }

    /**
     * Starts a host from {@code image} and returns once systemd has finished booting and sshd answers through the
     * bridge.
     *
     * @throws IllegalStateException when the image is missing or stale, docker is unavailable, or the host does not
     *     come up in time (with its failed units and journal in the message)
     */
    public static DebianTestHost start(TestHostImage image) {
        TestHostImages.requireCurrent(DockerEnvironment.client(), image);
        String name = "deploy-testhost-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path localDir = createLocalDir(name);
        DebianTestHost host = new DebianTestHost(name, image, localDir,
                newContainer(name, image, localDir.resolve("mount")));
        OPEN.add(host);
        try {
            host.boot();
            return host;
        } catch (RuntimeException e) {
            try {
                host.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Creates {@code <tmp>/<name>/mount/authorized_keys}; the mount directory is what the container sees. */
    private static Path createLocalDir(String name) {
        try {
            Path dir = Files.createTempDirectory(name + "-");
            Path mount = Files.createDirectory(dir.resolve("mount"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path authorizedKeys = Files.createFile(mount.resolve("authorized_keys"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(authorizedKeys, ClientKeyPair.forThisRun().publicKeyLine() + "\n",
                    StandardCharsets.US_ASCII);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the directory for test host " + name, e);
        }
    }

    private static GenericContainer<?> newContainer(String name, TestHostImage image, Path mount) {
        return new GenericContainer<>(DockerImageName.parse(image.reference()))
                // The image is local (TestHostImages checked it); a pull could only fail or hang.
                .withImagePullPolicy(imageName -> false)
                .withNetworkMode("none")
                .withTmpFs(Map.of("/run", "rw,nosuid,nodev,mode=755", "/run/lock", "rw,nosuid,nodev,noexec"))
                .withLabel(CONTAINER_LABEL, "true")
                .withCommand("/lib/systemd/systemd")
                .withCreateContainerCmdModifier(cmd -> configureForSystemd(cmd, name, mount));
    }

    /** What systemd needs in a container here; --privileged does not work on these machines. */
    private static void configureForSystemd(CreateContainerCmd cmd, String name, Path mount) {
        cmd.withName(name).withHostName(name);
        HostConfig hostConfig = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
        cmd.withHostConfig(hostConfig
                .withCapAdd(Capability.SYS_ADMIN)
                .withSecurityOpts(List.of("seccomp=unconfined"))
                .withBinds(
                        new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup"), AccessMode.rw),
                        new Bind(mount.toString(), new Volume(CONTAINER_DIR), AccessMode.rw)));
    }

    private void boot() {
        long start = System.nanoTime();
        container.start();
        Duration containerStarted = since(start);
        Duration timeout = Duration.ofSeconds(Long.getLong(BOOT_TIMEOUT_PROPERTY, 60));
        long deadline = start + timeout.toNanos();
        try {
            bridge = TcpToUnixSocketBridge.start(name, localDir.resolve("mount").resolve("ssh.sock"));
            awaitSystemd(deadline);
            Duration systemdReady = since(start);
            awaitSshBanner(deadline);
            Duration sshReady = since(start);
            hostKeyLine = "[" + LOOPBACK + "]:" + bridge.port() + " " + readHostKey();
            knownHostsFile = Files.writeString(localDir.resolve("known_hosts"), hostKeyLine + "\n",
                    StandardCharsets.US_ASCII);
            bootTimings = new BootTimings(containerStarted, systemdReady, sshReady);
            LOG.info("test host {} ({}) ready on {}:{}: {}", name, image.reference(), LOOPBACK, bridge.port(),
                    bootTimings);
        } catch (IOException e) {
            throw new IllegalStateException("test host " + name + " did not come up" + diagnostics(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while test host " + name + " was booting", e);
        } catch (BootTimeout e) {
            throw new IllegalStateException("test host " + name + " did not come up (limit " + timeout + "): "
                    + e.getMessage() + diagnostics(), e);
        }
    }

    /** Waits for the end of boot: {@code running}, or {@code degraded} (logged with the failed units). */
    private void awaitSystemd(long deadline) throws InterruptedException {
        String state = "";
        while (System.nanoTime() < deadline) {
            if (!container.isRunning()) {
                throw new BootTimeout("the container exited (systemd failed to boot)");
            }
            ExecResult result = exec("systemctl", "is-system-running");
            state = result.stdout().strip();
            if (state.equals("running")) {
                return;
            }
            if (state.equals("degraded")) {
                LOG.warn("test host {} booted degraded:\n{}", name,
                        exec("systemctl", "--failed", "--no-pager").stdout());
                return;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new BootTimeout("systemd still reports '" + state + "'");
    }

    /** Waits until a connection through the bridge is greeted by sshd's version line. */
    private void awaitSshBanner(long deadline) throws InterruptedException {
        String last = "no attempt";
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), bridge.port()), 2000);
                socket.setSoTimeout(2000);
                String banner = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (banner != null && banner.startsWith("SSH-2.0-")) {
                    return;
                }
                last = "greeting was " + banner;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new BootTimeout("sshd does not answer on the socket (" + last + ")");
    }

    /** {@code ssh-ed25519 AAAA...} of the key the container generated at boot. */
    private String readHostKey() {
        String[] fields = exec("cat", "/etc/ssh/ssh_host_ed25519_key.pub")
                .requireSuccess("reading the host key").stdout().strip().split("\\s+");
        if (fields.length < 2 || !fields[0].equals("ssh-ed25519")) {
            throw new IllegalStateException("unexpected host key file content: " + String.join(" ", fields));
        }
        return fields[0] + " " + fields[1];
    }

    /**
     * Restarts the container as a reboot would (systemd stopped, {@code /run} emptied, booted again; the disk and the
     * SSH host key stay) and waits until systemd and sshd are up again. Connections through the bridge break.
     */
    public void reboot() {
        DockerEnvironment.client().restartContainerCmd(container.getContainerId()).withTimeout(5).exec();
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong(BOOT_TIMEOUT_PROPERTY, 60)).toNanos();
        try {
            awaitSystemd(deadline);
            awaitSshBanner(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while test host " + name + " was rebooting", e);
        } catch (BootTimeout e) {
            throw new IllegalStateException("test host " + name + " did not come back after a reboot: "
                    + e.getMessage() + diagnostics(), e);
        }
    }

    /** Failed units, the end of the journal and the container log, appended to a start failure's message. */
    private String diagnostics() {
        StringBuilder out = new StringBuilder();
        if (!container.isRunning()) {
            return out.append("\n--- container log\n").append(container.getLogs()).toString();
        }
        try {
            out.append("\n--- systemctl --failed\n").append(exec("systemctl", "--failed", "--no-pager").stdout());
            out.append("\n--- ssh socket\n")
                    .append(exec("systemctl", "status", "--no-pager", "testhost-ssh.socket",
                            "testhost-ssh-keygen.service").stdout())
                    .append(exec("ls", "-la", CONTAINER_DIR).stdout());
            out.append("\n--- journalctl -b (last 60 lines)\n")
                    .append(exec("journalctl", "-b", "--no-pager", "-n", "60").stdout());
            out.append("\n--- container log\n").append(container.getLogs());
        } catch (RuntimeException e) {
            out.append("\n(collecting diagnostics failed: ").append(e).append(')');
        }
        return out.toString();
    }

    /** The container's name, also its hostname. */
    public String name() {
        return name;
    }

    public TestHostImage image() {
        return image;
    }

    /** Always {@code 127.0.0.1}. */
    public String sshHost() {
        return LOOPBACK;
    }

    public int sshPort() {
        return bridge.port();
    }

    /** The run's client private key (OpenSSH format, ed25519), accepted for root. */
    public Path privateKey() {
        return ClientKeyPair.forThisRun().privateKey();
    }

    /** This host's known_hosts line, e.g. {@code [127.0.0.1]:40123 ssh-ed25519 AAAA...}. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** A known_hosts file holding just {@link #hostKeyLine()}. */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /**
     * This host as an entry of an inventory's {@code hosts:} map (indented for it): its SSH address, port, user root,
     * key and known_hosts file, followed by {@code fields} (YAML lines such as {@code "modules: [site]"}).
     */
    public String inventoryEntry(String name, String... fields) {
        StringBuilder yaml = new StringBuilder("  ").append(name).append(":\n");
        List<String> lines = new java.util.ArrayList<>(List.of("address: " + sshHost(), "port: " + sshPort(),
                "user: root", "identity: " + privateKey(), "knownHosts: " + knownHostsFile()));
        lines.addAll(List.of(fields));
        lines.forEach(line -> yaml.append("    ").append(line).append('\n'));
        return yaml.toString();
    }

    /**
     * The directory bind-mounted into the container at {@value #CONTAINER_DIR}: a Unix socket created here is how
     * a test gives the host a route to a server on this machine (the host has no network).
     */
    public Path mountDir() {
        return localDir.resolve("mount");
    }

    /** The bridge in front of sshd, to cut or refuse connections. */
    public TcpToUnixSocketBridge bridge() {
        return bridge;
    }

    public BootTimings bootTimings() {
        return bootTimings;
    }

    /**
     * Runs {@code command} in the container with docker exec (not over SSH), for setting up and checking state.
     * A non-zero exit is returned, not thrown.
     */
    public ExecResult exec(String... command) {
        try {
            Container.ExecResult result = container.execInContainer(command);
            return new ExecResult(result.getExitCode(), result.getStdout(), result.getStderr());
        } catch (IOException e) {
            throw new UncheckedIOException("docker exec " + String.join(" ", command) + " on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during docker exec on " + name, e);
        }
    }

    /** Stops the bridge, removes the container and deletes the local directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OPEN.remove(this);
        RuntimeException failure = null;
        if (bridge != null) {
            bridge.close();
        }
        try {
            container.stop(); // kills and removes the container
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            TempFiles.deleteRecursively(localDir);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw new IllegalStateException("closing test host " + name + " failed; remove it with: docker rm -f "
                    + name, failure);
        }
        LOG.debug("test host {} removed", name);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** How long the phases of a start took, each measured from the start call. */
    public record BootTimings(Duration containerStarted, Duration systemdReady, Duration sshReady) {
        @Override
        public String toString() {
            return "container started " + containerStarted.toMillis() + " ms, systemd ready "
                    + systemdReady.toMillis() + " ms, sshd ready " + sshReady.toMillis() + " ms";
        }
    }

    /** The host did not reach a ready state; {@link #boot()} adds the diagnostics. */
    private static final class BootTimeout extends RuntimeException {
        BootTimeout(String message) {
            super(message);
        }
    }
}
