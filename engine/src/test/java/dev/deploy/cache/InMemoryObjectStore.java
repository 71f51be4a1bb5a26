package dev.deploy.cache;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake object store for unit tests (the real S3 API, through s3proxy, is exercised by it-tests/cache): keys in a
 * map, every call recorded, and an HTTP server on 127.0.0.1 that serves {@link #presignGet} URLs (a random token and
 * an expiry in the query, checked like a presigned URL's) so that host scripts can fetch from it.
 */
final class InMemoryObjectStore implements ObjectStore {

    record Stored(byte[] bytes, Instant lastModified) {
    }

    final Map<String, Stored> objects = new ConcurrentHashMap<>();
    /** "HEAD key", "PUT key", "GET key" (API), "DELETE key", "LIST prefix", in order. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Keys fetched over HTTP, one entry per request. */
    final List<String> served = new CopyOnWriteArrayList<>();
    final AtomicInteger failPuts = new AtomicInteger();
    /** When set, PUTs past the injected failures wait for it (a server that stopped answering). */
    volatile java.util.concurrent.CountDownLatch hangPuts;
    /** When set, a GET of {@link #stalledKey} over HTTP sends one byte and then nothing until it is released. */
    volatile java.util.concurrent.CountDownLatch stallObjects;
    volatile String stalledKey;
    /** Counted down when the stalled GET has sent its byte and waits. */
    final java.util.concurrent.CountDownLatch stallReached = new java.util.concurrent.CountDownLatch(1);
    /** PUTs running now, and the most that ever ran at once. */
    final AtomicInteger putsInFlight = new AtomicInteger();
    final AtomicInteger mostPutsInFlight = new AtomicInteger();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final HttpServer server;

    InMemoryObjectStore() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String key = exchange.getRequestURI().getPath().substring(1);
            String token = exchange.getRequestURI().getQuery();
            Long expires = token == null ? null : tokens.get(token);
            Stored stored = objects.get(key);
            int status = expires == null || System.currentTimeMillis() > expires ? 403 : stored == null ? 404 : 200;
            if (status == 200) {
                served.add(key);
            }
            byte[] body = status == 200 ? stored.bytes() : ("status " + status).getBytes();
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                java.util.concurrent.CountDownLatch stall = stallObjects;
                if (stall != null && status == 200 && key.equals(stalledKey) && body.length > 1) {
                    // a server that stops sending in the middle of an object
                    out.write(body, 0, 1);
                    out.flush();
                    stallReached.countDown();
                    try {
                        stall.await(10, java.util.concurrent.TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                out.write(body);
            } catch (IOException e) {
                // the client gave up (a stalled download abandoned): nothing to answer
            }
        });
        server.setExecutor(Executors.newCachedThreadPool()); // a stalled answer holds no other request up
        server.start();
    }

    /** {@code http://127.0.0.1:PORT/}: what every URL {@link #presignGet} hands out starts with. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Stops serving: presigned URLs then fail to connect. */
    void stopServing() {
        server.stop(0);
    }

    void putAt(String key, byte[] bytes, Instant lastModified) {
        objects.put(key, new Stored(bytes, lastModified));
    }

    long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public boolean exists(String key) {
        calls.add("HEAD " + key);
        return objects.containsKey(key);
    }

    @Override
    public void put(String key, byte[] bytes) {
        calls.add("PUT " + key);
        if (failPuts.get() > 0) {
            failPuts.decrementAndGet();
            throw new ObjectStoreException("s3: PUT " + key + ": injected failure");
        }
        mostPutsInFlight.accumulateAndGet(putsInFlight.incrementAndGet(), Math::max);
        try {
            java.util.concurrent.CountDownLatch hang = hangPuts;
            if (hang != null) {
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ObjectStoreException("s3: PUT " + key + ": interrupted", e);
                }
            }
            objects.put(key, new Stored(bytes.clone(), Instant.now()));
        } finally {
            putsInFlight.decrementAndGet();
        }
    }

    @Override
    public void put(String key, Path file) {
        try {
            put(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> get(String key, int limit) {
        calls.add("GET " + key);
        Optional<byte[]> bytes = Optional.ofNullable(objects.get(key)).map(Stored::bytes);
        if (bytes.isPresent() && bytes.get().length > limit) {
            throw new ObjectStoreException("s3: GET " + key + ": larger than " + limit + " bytes");
        }
        return bytes;
    }

    @Override
    public List<Listed> list(String prefix) {
        calls.add("LIST " + prefix);
        List<Listed> listed = new ArrayList<>();
        objects.forEach((key, stored) -> {
            if (key.startsWith(prefix)) {
                listed.add(new Listed(key, stored.bytes().length, stored.lastModified()));
            }
        });
        listed.sort((a, b) -> a.key().compareTo(b.key()));
        return listed;
    }

    @Override
    public Optional<List<Listed>> list(String prefix, int limit) {
        List<Listed> all = list(prefix);
        return all.size() > limit ? Optional.empty() : Optional.of(all);
    }

    @Override
    public void delete(Collection<String> keys) {
        for (String key : keys) {
            calls.add("DELETE " + key);
            objects.remove(key);
        }
    }

    @Override
    public URI presignGet(String key, Duration lifetime) {
        String token = "token=" + java.util.UUID.randomUUID();
        tokens.put(token, System.currentTimeMillis() + lifetime.toMillis());
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + key + "?" + token);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
