package dev.deploy.host.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of ssh-agent over its Unix-domain socket (JDK 16+ {@code SocketChannel}), speaking the two requests a
 * login needs from the agent protocol (draft-miller-ssh-agent, sections 3.5 and 3.6): list the keys, and sign data
 * with one of them. The private keys never leave the agent. Each request opens its own connection and has a
 * deadline ({@link #DEADLINE}): an agent that does not answer cannot hang a run.
 */
final class AgentClient {

    /** Long enough for an agent that asks for a confirmation or a hardware token's touch. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    static final String SOCKET_VARIABLE = "SSH_AUTH_SOCK";

    private static final int FAILURE = 5;
    private static final int REQUEST_IDENTITIES = 11;
    private static final int IDENTITIES_ANSWER = 12;
    private static final int SIGN_REQUEST = 13;
    private static final int SIGN_RESPONSE = 14;
    /** Sign flags asking for an RSA signature with SHA-256 or SHA-512 instead of SHA-1. */
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ssh-agent-deadline");
        thread.setDaemon(true);
        return thread;
    });

    /** A key the agent holds: its public key blob (SSH wire format) and comment. */
    record Identity(byte[] publicKeyBlob, String comment) {
        /** The key type named in the blob, such as {@code ssh-ed25519}. */
        String keyType() {
            ByteBuffer buffer = ByteBuffer.wrap(publicKeyBlob);
            int length = buffer.getInt();
            return new String(publicKeyBlob, 4, length, StandardCharsets.US_ASCII);
        }

        String fingerprint() {
            return HostKeys.fingerprint(publicKeyBlob);
        }
    }

    private final Path socket;

    AgentClient(Path socket) {
        this.socket = socket;
    }

    /** The socket named by {@code SSH_AUTH_SOCK}, when it is set (whether or not an agent listens there). */
    static Optional<Path> environmentSocket() {
        String value = System.getenv(SOCKET_VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // A stale value (the agent of an earlier login) is kept: asking it fails at once and the error then says so.
        return Optional.of(Path.of(value));
    }

    Path socket() {
        return socket;
    }

    /** The keys the agent holds, in its order. */
    List<Identity> identities() throws IOException {
        DataInputStream answer = request(REQUEST_IDENTITIES, new byte[0], IDENTITIES_ANSWER);
        int count = answer.readInt();
        if (count < 0 || count > 4096) {
            throw new IOException("ssh-agent at " + socket + " announced " + count + " keys");
        }
        List<Identity> identities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] blob = readString(answer);
            String comment = new String(readString(answer), StandardCharsets.UTF_8);
            identities.add(new Identity(blob, comment));
        }
        return identities;
    }

    /**
     * Has the agent sign {@code data} with the key {@code publicKeyBlob}; returns the signature in SSH wire format
     * (string algorithm, string signature blob), as a login request carries it.
     */
    byte[] sign(byte[] publicKeyBlob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        writeString(out, publicKeyBlob);
        writeString(out, data);
        out.writeInt(flags);
        DataInputStream answer = request(SIGN_REQUEST, payload.toByteArray(), SIGN_RESPONSE);
        return readString(answer);
    }

    private DataInputStream request(int type, byte[] payload, int expected) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(channel), DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer message = ByteBuffer.allocate(5 + payload.length);
                message.putInt(1 + payload.length).put((byte) type).put(payload).flip();
                while (message.hasRemaining()) {
                    channel.write(message);
                }
                DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
                int length = in.readInt();
                if (length < 1 || length > MAX_MESSAGE) {
                    throw new IOException("ssh-agent at " + socket + " sent a message of " + length + " bytes");
                }
                byte[] body = in.readNBytes(length);
                if (body.length != length) {
                    throw new IOException("ssh-agent at " + socket + " closed the connection mid-answer");
                }
                int answerType = body[0] & 0xff;
                if (answerType == FAILURE) {
                    throw new IOException("ssh-agent at " + socket + " refused the request");
                }
                if (answerType != expected) {
                    throw new IOException("ssh-agent at " + socket + " answered with message type " + answerType);
                }
                return new DataInputStream(new java.io.ByteArrayInputStream(body, 1, body.length - 1));
            } catch (IOException e) {
                if (deadline.isDone() && !deadline.isCancelled()) {
                    throw new IOException("ssh-agent at " + socket + " did not answer within "
                            + HopWatch.seconds(DEADLINE), e);
                }
                throw e;
            } finally {
                deadline.cancel(false);
            }
        }
    }

    private static byte[] readString(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_MESSAGE) {
            throw new IOException("malformed ssh-agent answer");
        }
        byte[] bytes = data.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated ssh-agent answer");
        }
        return bytes;
    }

    private static void writeString(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // The request fails with the closed channel.
        }
    }
}
