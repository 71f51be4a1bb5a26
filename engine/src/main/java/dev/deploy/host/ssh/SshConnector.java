package dev.deploy.host.ssh;

import dev.deploy.DeployException;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.keepalive.KeepAliveRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Opens authenticated sshj clients: first each jump host, then the target through a direct-tcpip tunnel of the hop
 * before it (or over a ProxyCommand's stdin/stdout). Every host key on the way is checked against known_hosts, and
 * every step has a deadline ({@link HopWatch}). Failures become one-line {@link DeployException}s of kind HOST that
 * name the target host, the step and, for a jump host, which one.
 */
final class SshConnector {

    /**
     * What each channel lets the host send ahead (sshj's default is 2 MiB) and its largest packet (32 KiB). sshj
     * grants more window to the host before it records the grant itself, so when stdout and stderr both stream, data
     * on one can arrive in between and be refused ("Window consumed to below 0"). It re-grants when less than
     * min(20 packets, a quarter of the window) is left, so that margin is what data in that gap must exceed: 2.5 MiB
     * with these sizes instead of 512 KiB.
     */
    private static final long LOCAL_WINDOW_BYTES = 16L * 1024 * 1024;
    private static final int LOCAL_MAX_PACKET_BYTES = 128 * 1024;

    private static final Config CONFIG = JdkCrypto.config();

    /** One connected and logged-in hop: jump hosts first, the target last. */
    record Hop(SshSettings settings, SSHClient client, Link link, HopWatch watch) {
        void close() {
            watch.close();
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                // Nothing useful can be done about a failed disconnect.
            }
            link.close();
        }
    }

    private SshConnector() {
    }

    /** The connected hops in the order they were reached: jump hosts first, the target last. */
    static List<Hop> connect(SshSettings target) {
        List<Hop> chain = new ArrayList<>();
        try {
            connectHop(target, target, chain);
            return chain;
        } catch (RuntimeException e) {
            closeAll(chain);
            throw e;
        }
    }

    /** Disconnects the hops of a chain, the last reached first. */
    static void closeAll(List<Hop> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            chain.get(i).close();
        }
    }

    private static void connectHop(SshSettings hop, SshSettings target, List<Hop> chain) {
        if (hop.jumpHost().isPresent()) {
            connectHop(hop.jumpHost().get(), target, chain);
        }
        String context = hop == target ? "" : "jump host " + hop.hostName() + ": ";
        Link link = open(hop, target, chain);
        SSHClient client = new SSHClient(CONFIG);
        KnownHostsVerifier verifier = new KnownHostsVerifier(hop.knownHostsFile(), hop.alsoTrustedKnownHosts(),
                hop.hostKeyAlias(), hop.acceptNewHostKey());
        client.addHostKeyVerifier(verifier);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, hop.connectTimeout().toMillis());
        client.setConnectTimeout(timeoutMillis);
        // HopWatch enforces each step's own limit; sshj's waits are a backstop that must outlast an ssh-agent's
        // signature (the hop's deadline stops meanwhile: it may wait for a confirmation or a token's touch).
        client.getTransport().setTimeoutMs((int) Math.min(Integer.MAX_VALUE,
                (long) timeoutMillis + AgentClient.DEADLINE.toMillis()));
        client.getConnection().setTimeoutMs(timeoutMillis);
        client.getConnection().getKeepAlive()
                .setKeepAliveInterval((int) Math.max(1, hop.timeouts().serverAliveInterval().toSeconds()));
        if (client.getConnection().getKeepAlive() instanceof KeepAliveRunner runner) {
            // HopWatch notices the silence first and says so; this is the backstop.
            runner.setMaxAliveCount(hop.timeouts().serverAliveCountMax() + 2);
        }
        client.getConnection().setWindowSize(LOCAL_WINDOW_BYTES);
        client.getConnection().setMaxPacketSize(LOCAL_MAX_PACKET_BYTES);
        HostDisconnect disconnect = new HostDisconnect();
        client.getTransport().setDisconnectListener(disconnect);
        HopWatch watch = HopWatch.start(hop.timeouts(), client, link);
        Hop connected = new Hop(hop, client, link, watch);
        chain.add(connected);
        try {
            client.connectVia(link.asChannel(), hop.address(), hop.port());
        } catch (IOException | RuntimeException e) {
            String detail = verifier.rejection()
                    .map(HostKeyRejection::detail)
                    .or(watch::expired)
                    .orElseGet(() -> SshFailures.connectDetail(e, hop.address(), hop.port(), hop.connectTimeout())
                            + ProxyStderr.of(link));
            throw DeployException.host(target.hostName(), "connect", context + detail, e);
        }
        watch.loggingIn();
        authenticate(client, hop, target, context, watch, disconnect);
        watch.live();
    }

    /** The byte stream to the hop: TCP, a tunnel through the hop before, or a ProxyCommand. */
    private static Link open(SshSettings hop, SshSettings target, List<Hop> chain) {
        String context = hop == target ? "" : "jump host " + hop.hostName() + ": ";
        if (!chain.isEmpty()) {
            Hop previous = chain.get(chain.size() - 1);
            try {
                DirectConnection tunnel = previous.client().newDirectConnection(hop.address(), hop.port());
                return Link.tunnel(tunnel);
            } catch (IOException | RuntimeException e) {
                String why = previous.watch().expired().orElseGet(() -> SshFailures.describe(e));
                throw DeployException.host(target.hostName(), "connect", context + "jump host "
                        + previous.settings().hostName() + " could not open a tunnel to " + hop.address() + ":"
                        + hop.port() + ": " + why, e);
            }
        }
        if (hop.proxyCommand().isPresent()) {
            String command = hop.proxyCommand().get();
            try {
                Process process = new ProcessBuilder("/bin/sh", "-c", command).start();
                Link link = Link.process(process, command);
                ProxyStderr.attach(link, process);
                return link;
            } catch (IOException e) {
                throw DeployException.host(target.hostName(), "connect", context + "cannot start ProxyCommand "
                        + command + ": " + SshFailures.describe(e), e);
            }
        }
        try {
            return Link.tcp(hop.address(), hop.port(), hop.connectTimeout());
        } catch (IOException | RuntimeException e) {
            throw DeployException.host(target.hostName(), "connect",
                    context + SshFailures.connectDetail(e, hop.address(), hop.port(), hop.connectTimeout()), e);
        }
    }

    /**
     * Logs in as OpenSSH does: first with the agent's keys (only those of the configured identity files when
     * {@code IdentitiesOnly}), then with key files.
     */
    private static void authenticate(SSHClient client, SshSettings hop, SshSettings target, String context,
                                     HopWatch watch, HostDisconnect disconnect) {
        List<AgentClient.Identity> agentKeys = List.of();
        String agentNote = "";
        if (hop.agentSocket().isPresent()) {
            AgentClient agent = new AgentClient(hop.agentSocket().get());
            try {
                agentKeys = offeredAgentKeys(watch.whileWaitingLocally(agent::identities), hop);
            } catch (IOException e) {
                agentNote = " (ssh-agent at " + hop.agentSocket().get() + ": " + SshFailures.describe(e) + ")";
            }
            if (!agentKeys.isEmpty()) {
                List<AuthMethod> methods = new ArrayList<>();
                agentKeys.forEach(identity -> methods.add(new AgentAuth(agent, identity, watch)));
                try {
                    authEach(client, hop.user(), methods, disconnect);
                    return;
                } catch (UserAuthException e) {
                    if (watch.expired().isPresent() || disconnect.reason().isPresent()) {
                        // the deadline cut the login short, or sshd closed the connection after MaxAuthTries refused
                        // keys: no key file can be tried
                        throw loginFailed(hop, target, context, watch, disconnect, agentKeys.size(), e);
                    }
                    // On to the key files, as ssh does.
                } catch (IOException | RuntimeException e) {
                    throw loginFailed(hop, target, context, watch, disconnect, agentKeys.size(), e);
                }
            }
        }
        String agentTried = agentKeys.isEmpty() ? "" : " (nor any of the ssh-agent's " + agentKeys.size()
                + " key" + (agentKeys.size() == 1 ? "" : "s") + ")";
        ClientKeys.Loaded keys;
        try {
            // Decrypting may prompt a person for a passphrase: not the host's time.
            keys = watch.whileWaitingLocally(() -> ClientKeys.load(client, hop));
        } catch (ClientKeys.KeyProblem e) {
            String detail = agentKeys.isEmpty()
                    ? e.getMessage() + agentNote
                    : hop.target() + " did not accept any of the ssh-agent's " + agentKeys.size() + " key"
                    + (agentKeys.size() == 1 ? "" : "s") + ", and " + e.getMessage();
            throw DeployException.host(target.hostName(), "authenticate", context + detail, e);
        }
        try {
            List<AuthMethod> methods = new ArrayList<>();
            keys.providers().forEach(provider -> methods.add(new AuthPublickey(provider)));
            authEach(client, hop.user(), methods, disconnect);
        } catch (UserAuthException e) {
            if (watch.expired().isPresent() || disconnect.reason().isPresent()) {
                // sshj reports a login cut short by the deadline or by the host (the stream closed) as a refused key
                throw loginFailed(hop, target, context, watch, disconnect, agentKeys.size() + keys.files().size(), e);
            }
            String files = keys.files().stream().map(Path::toString).collect(Collectors.joining(", "));
            String skipped = keys.skipped().isEmpty()
                    ? ""
                    : " (also skipped: " + String.join("; ", keys.skipped()) + ")";
            throw DeployException.host(target.hostName(), "authenticate",
                    context + hop.target() + " did not accept key " + files + agentTried + skipped, e);
        } catch (IOException | RuntimeException e) {
            throw loginFailed(hop, target, context, watch, disconnect, agentKeys.size() + keys.files().size(), e);
        }
    }

    /**
     * Tries {@code methods} in order until one logs in, as {@link SSHClient#auth(String, Iterable)} does, but stops as
     * soon as the host has closed the connection: sshj would otherwise send each remaining method's service request
     * over the dead transport and wait out its whole timeout for the answer.
     *
     * @throws UserAuthException when no method logged in (the last method's refusal)
     */
    private static void authEach(SSHClient client, String user, List<AuthMethod> methods, HostDisconnect disconnect)
            throws IOException {
        UserAuthException refused = new UserAuthException("no key to offer");
        for (AuthMethod method : methods) {
            if (disconnect.reason().isPresent() || !client.getTransport().isRunning()) {
                break;
            }
            try {
                client.auth(user, method);
                return;
            } catch (UserAuthException e) {
                refused = e;
            }
        }
        throw refused;
    }

    private static DeployException loginFailed(SshSettings hop, SshSettings target, String context, HopWatch watch,
                                               HostDisconnect disconnect, int keysOffered, Exception e) {
        if (watch.expired().isEmpty() && disconnect.reason().isPresent()) {
            return closedDuringLogin(hop, target, context, disconnect, keysOffered, e);
        }
        String why = watch.expired().orElseGet(() -> "connection to " + hop.target() + " failed during login: "
                + SshFailures.describe(e));
        return DeployException.host(target.hostName(), "authenticate", context + why, e);
    }

    /**
     * The host sent SSH_MSG_DISCONNECT while deploy logged in, most often sshd's "Too many authentication failures"
     * after {@code MaxAuthTries} (default 6) refused keys, as ssh reports it too; the hint names what narrows the keys
     * offered.
     */
    private static DeployException closedDuringLogin(SshSettings hop, SshSettings target, String context,
                                                     HostDisconnect disconnect, int keysOffered, Exception e) {
        String hint = keysOffered > 1
                ? " (deploy had " + keysOffered + " keys to offer, the ssh-agent's first; offer fewer: the inventory's"
                + " identity with ssh_config's IdentitiesOnly yes, or IdentityAgent none)"
                : "";
        return DeployException.host(target.hostName(), "authenticate", context + hop.target()
                + " closed the connection during login: " + disconnect.reason().orElseThrow() + hint, e);
    }

    /** The reason the host gave when it sent SSH_MSG_DISCONNECT, recorded by sshj's transport. */
    private static final class HostDisconnect implements net.schmizz.sshj.transport.DisconnectListener {
        private volatile String reason;

        @Override
        public void notifyDisconnect(net.schmizz.sshj.common.DisconnectReason code, String message) {
            // sshj also reports its own close (BY_APPLICATION) and read failures (UNKNOWN) here; only a message
            // the host sent counts.
            if (reason == null && code != net.schmizz.sshj.common.DisconnectReason.UNKNOWN
                    && code != net.schmizz.sshj.common.DisconnectReason.BY_APPLICATION
                    && message != null && !message.isBlank()) {
                reason = message.strip().replaceAll("\\s*\\R\\s*", " ");
            }
        }

        Optional<String> reason() {
            return Optional.ofNullable(reason);
        }
    }

    /** The agent's keys to offer: all, or with IdentitiesOnly those whose public key matches an identity file. */
    static List<AgentClient.Identity> offeredAgentKeys(List<AgentClient.Identity> all, SshSettings hop) {
        if (!hop.identitiesOnly()) {
            return all;
        }
        List<byte[]> allowed = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        hop.identityFile().ifPresent(files::add);
        files.addAll(hop.configIdentityFiles());
        for (Path file : files) {
            publicKeyBlob(file).ifPresent(allowed::add);
        }
        return all.stream().filter(id -> allowed.stream().anyMatch(b -> Arrays.equals(b, id.publicKeyBlob())))
                .toList();
    }

    /** The public key of an identity file, from {@code FILE.pub} as ssh reads it. */
    private static Optional<byte[]> publicKeyBlob(Path file) {
        Path pub = file.resolveSibling(file.getFileName() + ".pub");
        try {
            String[] fields = Files.readString(pub, StandardCharsets.US_ASCII).strip().split("\\s+");
            return fields.length >= 2 ? Optional.of(Base64.getDecoder().decode(fields[1])) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** What a ProxyCommand wrote to stderr, appended to a failure message. */
    static final class ProxyStderr {
        private static final java.util.Map<Link, CompletableFuture<byte[]>> STDERR =
                java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

        private ProxyStderr() {
        }

        static void attach(Link link, Process process) {
            STDERR.put(link, StreamDrain.collect(process.getErrorStream(), "proxy-command-stderr"));
        }

        static String of(Link link) {
            CompletableFuture<byte[]> stderr = STDERR.remove(link);
            if (stderr == null) {
                return "";
            }
            link.close();
            try {
                String text = new String(stderr.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
                return text.isEmpty() ? "" : " (ProxyCommand said: " + text.replaceAll("\\s*\\R\\s*", " ") + ")";
            } catch (Exception e) {
                return "";
            }
        }
    }
}
