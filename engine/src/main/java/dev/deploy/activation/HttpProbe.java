package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.module.HealthUrl;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Probes an HTTP URL on the host with the JDK's client, through a {@link HostConnection.Forward} (the SSH connection,
 * or the address itself on a local host): healthy on 2xx and 3xx. The request carries the URL's own Host header.
 */
final class HttpProbe implements HealthWait.Probe {

    private static final Duration MAX_REQUEST = Duration.ofSeconds(5);

    /** The longest one check takes: connecting, then waiting for the answer. */
    static final int MAX_WAIT_SECONDS = 2 * (int) MAX_REQUEST.toSeconds();

    static {
        HostHeader.allow();
    }

    private final HealthUrl url;
    private final HostConnection.Forward forward;
    private final HttpClient client;
    private int lastStatus;

    HttpProbe(HealthUrl url, HostConnection.Forward forward) {
        this.url = url;
        this.forward = forward;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(MAX_REQUEST)
                .build();
    }

    @Override
    public String what() {
        return url.toString();
    }

    @Override
    public String passed() {
        return url + " answered " + lastStatus;
    }

    @Override
    public String check(Duration budget) throws IOException {
        InetSocketAddress local = forward.localAddress();
        URI uri = url.via(local.getHostString(), local.getPort());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(budget.compareTo(MAX_REQUEST) < 0 ? budget : MAX_REQUEST)
                .GET();
        if (!uri.getAuthority().equals(url.hostHeader())) {
            try {
                request.header("Host", url.hostHeader());
            } catch (IllegalArgumentException e) {
                // java.net.http was used before HostHeader.allow(); the request goes out with the forward's address.
            }
        }
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            lastStatus = response.statusCode();
            return lastStatus >= 200 && lastStatus < 400 ? null : "answered " + lastStatus;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during an HTTP health check");
        } catch (IOException e) {
            return forward.lastFailure().orElseGet(() -> describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
