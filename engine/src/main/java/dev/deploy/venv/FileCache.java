package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.python.FileHash;
import dev.deploy.python.LockedFile;
import dev.deploy.yaml.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Fetches the files a uv.lock names (wheels, sdists) once into a local cache, keyed by their locked hash. A download
 * streams to a temporary file while it is hashed, and is renamed into the cache only when the hash matches the
 * lock; a mismatch is an input error naming the package, URL and both hashes, and leaves nothing in the cache.
 * {@code http(s)://} and {@code file://} URLs are fetched; a plain path resolves against the lock's directory.
 */
public final class FileCache {

    private final Path dir;
    private HttpClient http;
    private final ConcurrentHashMap<String, Object> inFlight = new ConcurrentHashMap<>();

    public FileCache(Path dir) {
        this.dir = dir;
    }

    /** Built on first download: building it loads the TLS trust store, which a run without downloads never needs. */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
        }
        return http;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The cached copy of {@code file}, downloading and verifying it first if needed.
     *
     * @param what     names the file's owner in messages, e.g. {@code uv.lock:42: package 'anyio'}; asked only when
     *                 there is an error (finding a lock line costs a parse)
     * @param file     the locked file (location and hash)
     * @param baseDir  where a relative location resolves (the lock's directory)
     */
    public Path fetch(Supplier<String> what, LockedFile file, Path baseDir) {
        FileHash expected = file.hash().orElseThrow(() -> DeployException.input(what.get() + ": " + file.location()
                + ": the lock records no hash for it, so it cannot be verified"));
        return store(what, file.location(), expected, file.fileName(), () -> open(what, file.location(), baseDir));
    }

    /** {@link #fetch(Supplier, LockedFile, Path)} with a description known already. */
    public Path fetch(String what, LockedFile file, Path baseDir) {
        return fetch(() -> what, file, baseDir);
    }

    /** {@link #store(Supplier, String, FileHash, String, Opener)} with a description known already. */
    public Path store(String what, String location, FileHash expected, String fileName, Opener opener) {
        return store(() -> what, location, expected, fileName, opener);
    }

    /** Whether the file with hash {@code hash} is cached already (nothing to download for it). */
    public boolean has(FileHash hash, String fileName) {
        return Files.isRegularFile(dir.resolve(hash.algorithm() + "-" + hash.hexDigest()).resolve(fileName));
    }

    /**
     * Checks at plan time that {@link #fetch} can fetch {@code location} (an {@code http(s)://} or {@code file://}
     * URL), so that a location it cannot read is an error of the plan rather than of apply.
     */
    public static void checkFetchable(Supplier<String> what, String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            return;
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw DeployException.input(what.get() + ": cannot fetch " + location + ": only http(s):// and file:// URLs "
                    + "are supported");
        }
        throw DeployException.input(what.get() + ": cannot fetch " + location + ": a relative path in the lock must "
                + "name a file inside the project's source");
    }

    /** Opens the bytes of a file to cache. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * The cached copy of the file with hash {@code expected}, reading it from {@code opener} first if needed
     * (e.g. a wheel in a wheelhouse source, or one built on a host).
     *
     * @param location where the bytes come from, for messages
     */
    public Path store(Supplier<String> what, String location, FileHash expected, String fileName, Opener opener) {
        String name = safeFileName(what, fileName);
        Path target = dir.resolve(expected.algorithm() + "-" + expected.hexDigest()).resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Object guard = inFlight.computeIfAbsent(target.toString(), key -> new Object());
        synchronized (guard) {
            if (Files.isRegularFile(target)) {
                return target;
            }
            download(what, location, opener, expected, target);
            return target;
        }
    }

    private void download(Supplier<String> what, String location, Opener opener, FileHash expected, Path target) {
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".download-", ".part");
        } catch (IOException e) {
            throw DeployException.input("wheel cache " + dir + ": cannot write: " + FileErrors.describe(e));
        }
        try {
            String actual;
            try (InputStream in = opener.open();
                 OutputStream out = Files.newOutputStream(temp)) {
                MessageDigest digest = digest(expected.algorithm());
                DigestInputStream hashing = new DigestInputStream(in, digest);
                hashing.transferTo(out);
                actual = HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw DeployException.input(what.get() + ": cannot fetch " + location + ": " + describe(e));
            }
            if (!actual.equals(expected.hexDigest())) {
                throw DeployException.input(what.get() + ": " + location + ": " + expected.algorithm()
                        + " mismatch: the lock expects " + expected.hexDigest() + ", the file has " + actual);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw DeployException.input("wheel cache " + dir + ": cannot store " + target.getFileName() + ": "
                    + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover .part file is harmless; the next download makes a new one
            }
        }
    }

    private InputStream open(Supplier<String> what, String location, Path baseDir) throws IOException {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(new URI(location)).timeout(Duration.ofMinutes(10)).GET().build();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw DeployException.input(what.get() + ": not a valid URL: " + location);
            }
            HttpResponse<InputStream> response;
            try {
                response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            return response.body();
        }
        if (lower.startsWith("file:")) {
            try {
                return Files.newInputStream(Path.of(new URI(location)));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw DeployException.input(what.get() + ": not a valid file URL: " + location);
            }
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw DeployException.input(what.get() + ": cannot fetch " + location + ": only http(s):// and file:// URLs "
                    + "are supported");
        }
        if (baseDir == null) {
            throw DeployException.input(what.get() + ": cannot fetch " + location + ": a relative path in the lock is not "
                    + "supported here; lock the file with a file:// or http(s):// URL");
        }
        return Files.newInputStream(baseDir.resolve(location));
    }

    /** What went wrong, saying so when the network (not the lock) is the problem. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        String what = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                || e instanceof java.net.http.HttpConnectTimeoutException
                || e instanceof java.net.http.HttpTimeoutException) {
            return "network: " + what + " (the controller could not reach it)";
        }
        return what;
    }

    private static String safeFileName(Supplier<String> what, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw DeployException.input(what.get() + ": the locked file has no usable file name: '" + name + "'");
        }
        return name;
    }

    static MessageDigest digest(String algorithm) {
        String name = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw DeployException.input("unsupported hash algorithm " + algorithm);
        };
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
