package dev.deploy.host.ssh;

import dev.deploy.DeployException;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.userauth.UserAuthException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Opens authenticated sshj clients: first each jump host, then the target through a direct-tcpip tunnel of the hop
 * before it. Every host key on the way is checked against known_hosts. Failures become one-line
 * {@link DeployException}s of kind HOST that name the target host and the step.
 */
final class SshConnector {

    /** Seconds between keep-alive requests; a dead peer is noticed after a few unanswered ones. */
    private static final int KEEP_ALIVE_SECONDS = 15;

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

    private SshConnector() {
    }

    /** The connected clients in the order they were reached: jump hosts first, the target last. */
    static List<SSHClient> connect(SshSettings target) {
        List<SSHClient> chain = new ArrayList<>();
        try {
            connectHop(target, target, chain);
            return chain;
        } catch (RuntimeException e) {
            closeAll(chain);
            throw e;
        }
    }

    /** Disconnects the clients of a chain, the last reached first. */
    static void closeAll(List<SSHClient> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            try {
                chain.get(i).close();
            } catch (IOException | RuntimeException e) {
                // Nothing useful can be done about a failed disconnect.
            }
        }
    }

    private static void connectHop(SshSettings hop, SshSettings target, List<SSHClient> chain) {
        if (hop.jumpHost().isPresent()) {
            connectHop(hop.jumpHost().get(), target, chain);
        }
        SSHClient previous = chain.isEmpty() ? null : chain.get(chain.size() - 1);
        String context = hop == target ? "" : "jump host " + hop.hostName() + ": ";
        DirectConnection tunnel = null;
        if (previous != null) {
            String bastion = hop.jumpHost().orElseThrow().hostName();
            try {
                tunnel = previous.newDirectConnection(hop.address(), hop.port());
            } catch (IOException | RuntimeException e) {
                throw DeployException.host(target.hostName(), "connect", context + "jump host " + bastion
                        + " could not open a tunnel to " + hop.address() + ":" + hop.port() + ": "
                        + SshFailures.describe(e), e);
            }
        }
        SSHClient client = new SSHClient(CONFIG);
        chain.add(client);
        KnownHostsVerifier verifier = new KnownHostsVerifier(hop.knownHostsFile(), hop.acceptNewHostKey());
        client.addHostKeyVerifier(verifier);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, hop.connectTimeout().toMillis());
        client.setConnectTimeout(timeoutMillis);
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        client.getConnection().setWindowSize(LOCAL_WINDOW_BYTES);
        client.getConnection().setMaxPacketSize(LOCAL_MAX_PACKET_BYTES);
        try {
            if (tunnel == null) {
                client.connect(hop.address(), hop.port());
            } else {
                client.connectVia(tunnel);
            }
        } catch (IOException | RuntimeException e) {
            String detail = verifier.rejection()
                    .map(HostKeyRejection::detail)
                    .orElseGet(() -> SshFailures.connectDetail(e, hop.address(), hop.port(), hop.connectTimeout()));
            throw DeployException.host(target.hostName(), "connect", context + detail, e);
        }
        authenticate(client, hop, target, context);
    }

    private static void authenticate(SSHClient client, SshSettings hop, SshSettings target, String context) {
        ClientKeys.Loaded keys;
        try {
            keys = ClientKeys.load(client, hop);
        } catch (ClientKeys.KeyProblem e) {
            throw DeployException.host(target.hostName(), "authenticate", context + e.getMessage(), e);
        }
        try {
            client.authPublickey(hop.user(), keys.providers());
        } catch (UserAuthException e) {
            String files = keys.files().stream().map(Path::toString).collect(Collectors.joining(", "));
            String skipped = keys.skipped().isEmpty()
                    ? ""
                    : " (also skipped: " + String.join("; ", keys.skipped()) + ")";
            throw DeployException.host(target.hostName(), "authenticate",
                    context + hop.target() + " did not accept key " + files + skipped, e);
        } catch (IOException | RuntimeException e) {
            throw DeployException.host(target.hostName(), "authenticate",
                    context + "connection to " + hop.target() + " failed during login: " + SshFailures.describe(e), e);
        }
    }
}
