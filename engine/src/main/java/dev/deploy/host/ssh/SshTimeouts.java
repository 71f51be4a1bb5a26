package dev.deploy.host.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * The deadlines of an SSH connection, named after their OpenSSH options.
 *
 * @param connect             limit for each network step of a connection: the TCP connect (or starting a ProxyCommand
 *                            or opening the tunnel through a jump host), reading the server's banner, the key
 *                            exchange, the login, and opening a channel ({@code ConnectTimeout}; default 15 s)
 * @param serverAliveInterval after login, how long the connection may be silent before a keep-alive request is sent
 *                            ({@code ServerAliveInterval}; default 5 s)
 * @param serverAliveCountMax how many intervals without a byte from the server make it dead: the connection is then
 *                            closed and every command on it fails ({@code ServerAliveCountMax}; default 3, so a host
 *                            that stops answering is noticed after about 15 s)
 */
public record SshTimeouts(Duration connect, Duration serverAliveInterval, int serverAliveCountMax) {

    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_SERVER_ALIVE_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_SERVER_ALIVE_COUNT_MAX = 3;
    public static final SshTimeouts DEFAULT = new SshTimeouts(DEFAULT_CONNECT, DEFAULT_SERVER_ALIVE_INTERVAL,
            DEFAULT_SERVER_ALIVE_COUNT_MAX);

    public SshTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(serverAliveInterval, "serverAliveInterval");
        if (connect.isNegative() || connect.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive");
        }
        if (serverAliveInterval.isNegative() || serverAliveInterval.isZero()) {
            throw new IllegalArgumentException("server alive interval must be positive");
        }
        if (serverAliveCountMax < 1) {
            throw new IllegalArgumentException("server alive count must be at least 1");
        }
    }

    public SshTimeouts withConnect(Duration timeout) {
        return new SshTimeouts(timeout, serverAliveInterval, serverAliveCountMax);
    }

    /** How long a connection may go without a byte from the server before it is declared dead. */
    public Duration silenceLimit() {
        return serverAliveInterval.multipliedBy(serverAliveCountMax);
    }
}
