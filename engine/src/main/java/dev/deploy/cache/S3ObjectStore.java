package dev.deploy.cache;

import dev.deploy.DeployException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ObjectStore} on an S3 bucket with the AWS SDK for Java v2 (JDK {@code HttpURLConnection} transport, no
 * Apache or Netty client). Region, endpoint and path-style come from {@link CacheSettings}; credentials from the
 * SDK's default chain. Works with AWS S3 and S3-compatible servers (MinIO, Ceph RGW, Garage, s3proxy): request
 * checksums are sent only where the API requires them, since many such servers reject the newer trailing checksums.
 *
 * <p>Deadlines: 10 s to connect, 60 s without data on a socket, 60 s per attempt, 3 minutes per call including
 * the SDK's retries.
 */
public final class S3ObjectStore implements ObjectStore {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    private static final int DELETE_BATCH = 1000;

    private final CacheSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final S3Client s3;
    private final S3Presigner presigner;

    private S3ObjectStore(CacheSettings settings, SdkHttpClient http, AwsCredentialsProvider credentials, S3Client s3,
                          S3Presigner presigner) {
        this.settings = settings;
        this.http = http;
        this.credentials = credentials;
        this.s3 = s3;
        this.presigner = presigner;
    }

    /**
     * A client for {@code settings}; makes no request.
     *
     * @throws ObjectStoreException when no region is configured and none can be found
     */
    public static S3ObjectStore open(CacheSettings settings) {
        Region region = region(settings);
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        var builder = S3Client.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        settings.endpoint().ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        });
        return new S3ObjectStore(settings, http, credentials, builder.build(), presignerBuilder.build());
    }

    private static Region region(CacheSettings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        if (settings.endpoint().isPresent()) {
            return Region.US_EAST_1; // S3-compatible servers accept any region in the signature
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new ObjectStoreException("no AWS region for the cache: set cache.region in the inventory or"
                    + " AWS_REGION", e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(settings.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("HEAD", key, e);
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public void put(String key, byte[] bytes) {
        try {
            s3.putObject(r -> r.bucket(settings.bucket()).key(key).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    @Override
    public void put(String key, Path file) {
        try {
            s3.putObject(r -> r.bucket(settings.bucket()).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key, int limit) {
        try {
            byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(settings.bucket()).key(key).range("bytes=0-" + limit))
                    .asByteArray();
            if (bytes.length > limit) {
                throw new ObjectStoreException("s3: GET " + key + " in " + settings.location() + ": larger than "
                        + limit + " bytes");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("GET", key, e);
        } catch (SdkException e) {
            throw failure("GET", key, e);
        }
    }

    @Override
    public List<Listed> list(String prefix) {
        List<Listed> listed = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(prefix))
                    .contents()) {
                listed.add(new Listed(object.key(), object.size() == null ? 0 : object.size(),
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        return listed;
    }

    @Override
    public Optional<List<Listed>> list(String prefix, int limit) {
        List<Listed> listed = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(prefix))
                    .contents()) {
                if (listed.size() == limit) {
                    return Optional.empty();
                }
                listed.add(new Listed(object.key(), object.size() == null ? 0 : object.size(),
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        return Optional.of(listed);
    }

    @Override
    public void delete(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        for (int start = 0; start < all.size(); start += DELETE_BATCH) {
            List<ObjectIdentifier> batch = all.subList(start, Math.min(all.size(), start + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            try {
                DeleteObjectsResponse response = s3.deleteObjects(r -> r.bucket(settings.bucket())
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var error = response.errors().get(0);
                    throw new ObjectStoreException("s3: DELETE " + error.key() + ": " + error.code() + " "
                            + error.message() + " (" + response.errors().size() + " keys not deleted)");
                }
            } catch (SdkException e) {
                throw failure("DELETE", batch.get(0).key(), e);
            }
        }
    }

    @Override
    public URI presignGet(String key, Duration lifetime) {
        try {
            return presigner.presignGetObject(r -> r.signatureDuration(lifetime)
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key))).url().toURI();
        } catch (SdkException | URISyntaxException e) {
            throw new ObjectStoreException("s3: presigning " + key + ": " + oneLine(e), e);
        }
    }

    @Override
    public String describe() {
        return settings.location();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
        http.close();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to release that matters at exit
            }
        }
    }

    private ObjectStoreException failure(String operation, String key, Exception e) {
        return new ObjectStoreException("s3: " + operation + " " + key + " in " + settings.location() + ": "
                + oneLine(e), e);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return DeployException.oneLine(message.lines().findFirst().orElse(message));
    }
}
