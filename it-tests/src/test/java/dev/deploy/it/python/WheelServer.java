package dev.deploy.it.python;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves the files of one directory over HTTP on 127.0.0.1 (an ephemeral port), the way a package index serves
 * wheels, and records every requested path so tests can tell what the controller fetched. Only plain file names
 * directly in the directory are served; anything else is a 404.
 */
public final class WheelServer implements AutoCloseable {

    private final Path dir;
    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private WheelServer(Path dir, HttpServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** Starts serving {@code dir} under {@code /files/}. */
    public static WheelServer serve(Path dir) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WheelServer wheels = new WheelServer(dir, server);
            server.createContext("/files/", wheels::handle);
            server.start();
            return wheels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code filename} in the served directory. */
    public String url(String filename) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + filename;
    }

    /** The index URL uv.lock names as the packages' registry. */
    public String indexUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple";
    }

    /** Every path requested so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            String name = path.substring("/files/".length());
            Path file = dir.resolve(name);
            if (!"GET".equals(exchange.getRequestMethod()) || name.isEmpty() || name.contains("/")
                    || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
