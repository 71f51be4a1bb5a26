package dev.deploy.cache;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the binary cache lives: the inventory's top-level {@code cache:} mapping,
 * <pre>
 * cache:
 *   s3: s3://BUCKET/PREFIX          required; PREFIX may be empty
 *   endpoint: https://minio.example  optional; an S3-compatible server instead of AWS (also what hosts fetch from)
 *   region: eu-central-1             optional; default: the AWS chain (AWS_REGION, profile), or us-east-1 with an endpoint
 *   pathStyle: true                  optional; https://ENDPOINT/BUCKET/KEY instead of https://BUCKET.ENDPOINT/KEY
 * </pre>
 * Credentials are never in the inventory: they come from the AWS SDK's default chain (environment, {@code ~/.aws},
 * SSO, container or instance roles). Hosts get no credentials at all, only presigned URLs that live
 * {@link #urlLifetime()}.
 *
 * @param prefix the key prefix without leading or trailing {@code /} (empty: the bucket's root)
 */
public record CacheSettings(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region,
                            boolean pathStyle) {

    /** How long a presigned URL handed to a host works. */
    public static final Duration URL_LIFETIME = Duration.ofMinutes(15);
    /** How long after signing a URL is handed to further hosts of the same run (signing costs about 1 ms each). */
    public static final Duration URL_REUSE = Duration.ofMinutes(4);
    /** The deadline of a host's whole fetch: every URL it was given still works until then. */
    public static final Duration HOST_FETCH_DEADLINE = URL_LIFETIME.minus(URL_REUSE).minusMinutes(1);
    /** Objects uploaded (or checked) at once by the controller. */
    public static final int UPLOADS_IN_PARALLEL = 16;
    /** Objects a host fetches at once. */
    public static final int HOST_FETCHES_IN_PARALLEL = 8;

    private static final Set<String> FIELDS = Set.of("s3", "endpoint", "region", "pathStyle");
    /** S3 bucket naming rules (lower case, digits, dots, hyphens; 3-63 characters). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Conservative key prefix: segments of letters, digits, {@code . _ -} not starting with a dot. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    public Duration urlLifetime() {
        return URL_LIFETIME;
    }

    /** {@code s3://bucket/prefix}, for messages. */
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + endpoint.map(e -> " at " + e).orElse("");
    }

    /** Reads the inventory's {@code cache:} mapping; every problem is an input error at its field. */
    public static CacheSettings parse(YamlValue value) {
        YamlMap map = value.map().allowOnly(FIELDS);
        YamlValue s3 = map.require("s3");
        String text = s3.string();
        if (!text.startsWith("s3://")) {
            throw s3.error("expected s3://BUCKET or s3://BUCKET/PREFIX, got \"" + text + "\"");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : stripSlashes(rest.substring(slash + 1));
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw s3.error("\"" + bucket + "\" is not an S3 bucket name (3-63 lower-case letters, digits, '.', '-')");
        }
        if (!prefix.isEmpty() && (!PREFIX.matcher(prefix).matches() || prefix.length() > 200)) {
            throw s3.error("the key prefix \"" + prefix + "\" may only have '/'-separated segments of letters, digits,"
                    + " '.', '_' and '-'");
        }
        Optional<URI> endpoint = map.get("endpoint").map(CacheSettings::endpoint);
        Optional<String> region = map.get("region").map(v -> {
            if (!REGION.matcher(v.string()).matches()) {
                throw v.error("expected a region name such as eu-central-1, got \"" + v.string() + "\"");
            }
            return v.string();
        });
        boolean pathStyle = map.get("pathStyle").map(YamlValue::bool).orElse(false);
        return new CacheSettings(bucket, prefix, endpoint, region, pathStyle);
    }

    private static URI endpoint(YamlValue value) {
        String text = value.string();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw value.error("not a URL: \"" + text + "\"");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw value.error("expected http(s)://HOST[:PORT] (no path, user, query or fragment), got \"" + text + "\"");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static String stripSlashes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '/') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(start, end);
    }
}
