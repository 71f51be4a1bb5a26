package dev.deploy.module;

import dev.deploy.yaml.YamlValue;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The URL of an HTTP health check, as the host sees it: plain {@code http} only, a host, a port (80 if absent) and a
 * path with its query ({@code /} if absent). The check connects to {@code host:port} from the host's side and sends
 * {@code Host: host[:port]}.
 */
public record HealthUrl(String host, int port, String pathAndQuery) {

    /**
     * Parses a rendered health-check URL.
     *
     * @throws IllegalArgumentException with a short reason when the URL is not a plain {@code http://host[:port]/path}
     */
    public static HealthUrl parse(String text) {
        if (!text.strip().regionMatches(true, 0, "http://", 0, 7)) {
            throw new IllegalArgumentException("health check URL must start with http:// (https is not checked), got \""
                    + text + "\"");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL " + YamlValue.quoted(text) + ": " + e.getReason());
        }
        if (uri.getRawAuthority() != null && uri.getHost() == null
                && uri.getRawAuthority().matches(".*:[0-9]{6,}")) {
            throw new IllegalArgumentException("health check URL port must be between 1 and 65535, got "
                    + YamlValue.quoted(text));
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("health check URL needs a host, like http://127.0.0.1:8080/, got \""
                    + text + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("health check URL must not carry a user, got " + YamlValue.quoted(text));
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("health check URL must not have a #fragment, got "
                    + YamlValue.quoted(text));
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("health check URL port must be between 1 and 65535, got "
                    + YamlValue.quoted(text));
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HealthUrl(host, port, path + query);
    }

    /** The value of the {@code Host} header. */
    public String hostHeader() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return port == 80 ? name : name + ":" + port;
    }

    /** The URL to request when connecting to {@code address:port} instead (a forward's local end, or the host). */
    public URI via(String address, int localPort) {
        String name = address.contains(":") ? "[" + address + "]" : address;
        return URI.create("http://" + name + ":" + localPort + pathAndQuery);
    }

    @Override
    public String toString() {
        return "http://" + hostHeader() + pathAndQuery;
    }
}
