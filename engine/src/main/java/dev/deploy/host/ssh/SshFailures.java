package dev.deploy.host.ssh;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Words a failed connection attempt as the detail of a one-line message, without a stack trace. */
final class SshFailures {

    private SshFailures() {
    }

    /** What went wrong while connecting to {@code address:port}. */
    static String connectDetail(Throwable failure, String address, int port, Duration timeout) {
        String where = address + ":" + port;
        Throwable cause = rootCause(failure);
        if (cause instanceof ConnectException) {
            String message = String.valueOf(cause.getMessage()).toLowerCase();
            return (message.contains("refused") ? "connection refused" : message) + " at " + where;
        }
        if (cause instanceof SocketTimeoutException) {
            return "no answer from " + where + " within " + timeout.toSeconds() + "s";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host name " + address;
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to " + where;
        }
        return "SSH handshake with " + where + " failed: " + describe(failure);
    }

    /** The most telling message of an exception chain, on one line. */
    static String describe(Throwable failure) {
        Throwable cause = rootCause(failure);
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = failure.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
