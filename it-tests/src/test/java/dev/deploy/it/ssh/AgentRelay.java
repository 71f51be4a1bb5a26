package dev.deploy.it.ssh;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket in front of a real ssh-agent that passes each request on, holding back the answer to a signature
 * request for {@code signDelay} (an agent waiting for a confirmation or a hardware token's touch), or, with
 * {@link #mute(Path)}, a socket that accepts connections and never answers (a hung agent).
 */
final class AgentRelay implements AutoCloseable {

    private static final int SIGN_REQUEST = 13;

    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private AgentRelay(Path socket, Path agent, Duration signDelay) throws IOException {
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel client = server.accept();
                    accepted.add(client);
                    if (agent != null) {
                        Thread relay = new Thread(() -> relay(client, agent, signDelay), "agent-relay");
                        relay.setDaemon(true);
                        relay.start();
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }, "agent-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Relays to the agent at {@code agent}, answering signature requests only after {@code signDelay}. */
    static AgentRelay slowSigner(Path socket, Path agent, Duration signDelay) throws IOException {
        return new AgentRelay(socket, agent, signDelay);
    }

    /** Accepts and never answers. */
    static AgentRelay mute(Path socket) throws IOException {
        return new AgentRelay(socket, null, Duration.ZERO);
    }

    private static void relay(SocketChannel client, Path agent, Duration signDelay) {
        try (client; SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(agent))) {
            DataInputStream fromClient = new DataInputStream(Channels.newInputStream(client));
            DataOutputStream toClient = new DataOutputStream(Channels.newOutputStream(client));
            DataInputStream fromAgent = new DataInputStream(Channels.newInputStream(upstream));
            DataOutputStream toAgent = new DataOutputStream(Channels.newOutputStream(upstream));
            while (true) {
                byte[] request = new byte[fromClient.readInt()];
                fromClient.readFully(request);
                toAgent.writeInt(request.length);
                toAgent.write(request);
                byte[] answer = new byte[fromAgent.readInt()];
                fromAgent.readFully(answer);
                if (request[0] == SIGN_REQUEST) {
                    Thread.sleep(signDelay.toMillis());
                }
                toClient.writeInt(answer.length);
                toClient.write(answer);
            }
        } catch (IOException | InterruptedException e) {
            // the client or the agent hung up
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : accepted) {
            channel.close();
        }
    }
}
