package dev.deploy.it.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests and the bench: s3proxy (Maven Central {@code org.gaul:s3proxy}, its self-contained jar,
 * copied to {@code it-tests/target/s3proxy/} by the build) in its own JVM, listening on 127.0.0.1 only, storing
 * objects in a directory (jclouds' filesystem backend), with AWS signature v2/v4 authentication. No cloud account.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "deploy-test";
    public static final String SECRET_KEY = "deploy-test-secret";
    public static final String REGION = "us-east-1";
    /** System property naming the jar; default {@code target/s3proxy/s3proxy.jar} (or under it-tests/). */
    static final String JAR_PROPERTY = "deploy.s3proxy.jar";

    private final Process process;
    private final int port;
    private final Path data;
    private final S3Client client;

    private S3ProxyServer(Process process, int port, Path data) {
        this.process = process;
        this.port = port;
        this.data = data;
        this.client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(REGION))
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Starts s3proxy with its data under {@code dir}; returns once it answers HTTP. */
    public static S3ProxyServer start(Path dir) {
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = freePort();
            Path properties = Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data, ""));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar().toString(), "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            S3ProxyServer server = new S3ProxyServer(process, port, data);
            server.awaitReady(dir.resolve("s3proxy.log"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start s3proxy", e);
        }
    }

    private static Path jar() {
        String configured = System.getProperty(JAR_PROPERTY);
        for (Path candidate : configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("target/s3proxy/s3proxy.jar"), Path.of("it-tests/target/s3proxy/s3proxy.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("s3proxy.jar is missing; build it-tests first (./mvnw -pl it-tests -am "
                + "generate-test-resources copies it to it-tests/target/s3proxy/)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("s3proxy did not listen on 127.0.0.1:" + port + " within 60 s: "
                + Files.readString(log));
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Where the filesystem backend keeps bucket {@code bucket}'s objects (one file per key). */
    public Path bucketDir(String bucket) {
        return data.resolve(bucket);
    }

    /** A client with the server's credentials, for setting up and inspecting buckets. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    /** The inventory's {@code cache:} line for {@code bucket}/{@code prefix} on this server. */
    public String cacheLine(String bucket, String prefix) {
        return "cache: {s3: \"s3://" + bucket + "/" + prefix + "\", endpoint: \"" + endpoint() + "\", region: "
                + REGION + ", pathStyle: true}\n";
    }

    /** Lets the in-process CLI find the credentials through the AWS SDK's default chain (system properties). */
    public static void exportCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
