package dev.deploy.host.ssh;

import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SshFailuresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void refusedConnectionNamesTheAddress() {
        assertThat(SshFailures.connectDetail(new ConnectException("Connection refused"), "127.0.0.1", 2222, TIMEOUT))
                .isEqualTo("connection refused at 127.0.0.1:2222");
    }

    @Test
    void wrappedCauseIsFound() {
        TransportException wrapped = new TransportException(new ConnectException("Connection refused"));

        assertThat(SshFailures.connectDetail(wrapped, "10.0.0.9", 22, TIMEOUT))
                .isEqualTo("connection refused at 10.0.0.9:22");
    }

    @Test
    void timeoutSaysHowLongItWaited() {
        assertThat(SshFailures.connectDetail(new SocketTimeoutException("Connect timed out"), "web1", 22, TIMEOUT))
                .isEqualTo("no answer from web1:22 within 15s");
    }

    @Test
    void unknownHostNameIsNamed() {
        assertThat(SshFailures.connectDetail(new UnknownHostException("nope.invalid"), "nope.invalid", 22, TIMEOUT))
                .isEqualTo("unknown host name nope.invalid");
    }

    @Test
    void otherFailuresStayOnOneLine() {
        TransportException failure = new TransportException("Server closed connection\nduring identification");

        assertThat(SshFailures.connectDetail(failure, "web1", 22, TIMEOUT))
                .isEqualTo("SSH handshake with web1:22 failed: Server closed connection during identification");
    }
}
