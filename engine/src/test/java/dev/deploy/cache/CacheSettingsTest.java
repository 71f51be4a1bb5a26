package dev.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.HostScript;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory's cache fields: settings at the top level, on/off per host, group and defaults. */
class CacheSettingsTest {

    @TempDir
    Path dir;

    private Inventory inventory(String yaml) throws Exception {
        return InventoryLoader.load(Files.writeString(dir.resolve("inventory.yaml"), yaml));
    }

    private static final String HOSTS = """
            defaults: {cache: on}
            groups:
              dmz: {cache: off}
              again: {cache: on}
            hosts:
              a: {local: {root: a}}
              b: {local: {root: b}, groups: [dmz]}
              c: {local: {root: c}, groups: [dmz, again]}
              d: {local: {root: d}, groups: [dmz, again], cache: off}
              e: {local: {root: e}, groups: [dmz], cache: true}
            """;

    @Test
    void settingsAndSwitchesAreReadAndMergedLikeEveryHostField() throws Exception {
        CacheConfig config = CacheConfig.load(inventory("""
                cache: {s3: "s3://my-bucket/deploy/prod/", endpoint: "http://127.0.0.1:9000", region: eu-west-1, pathStyle: true}
                """ + HOSTS));

        assertThat(config.settings()).contains(new CacheSettings("my-bucket", "deploy/prod",
                Optional.of(URI.create("http://127.0.0.1:9000")), Optional.of("eu-west-1"), true));
        assertThat(config.enabledByHost()).isEqualTo(Map.of("a", true, "b", false, "c", true, "d", false, "e", true));
        assertThat(config.enabledFor("b")).isFalse();
        assertThat(config.enabledFor("a")).isTrue();
    }

    @Test
    void withoutTheTopLevelMappingNoHostUsesACache() throws Exception {
        CacheConfig config = CacheConfig.load(inventory(HOSTS));
        assertThat(config.settings()).isEmpty();
        assertThat(config.enabledFor("a")).isFalse();
    }

    @Test
    void aBucketAloneIsEnough() throws Exception {
        CacheConfig config = CacheConfig.load(inventory("cache: {s3: s3://bucket}\nhosts: {a: {local: {root: a}}}\n"));
        assertThat(config.settings()).contains(new CacheSettings("bucket", "", Optional.empty(), Optional.empty(),
                false));
        assertThat(new CacheKeys("").object("a".repeat(64))).isEqualTo("objects/" + "a".repeat(64) + ".zst");
    }

    @Test
    void badCacheInputNamesFileLineColumnAndField() throws Exception {
        assertInputError("cache: {s3: \"https://bucket/x\"}", "1:13: cache.s3: expected s3://BUCKET");
        assertInputError("cache: {s3: \"s3://Bad_Bucket/x\"}", "cache.s3: \"Bad_Bucket\" is not an S3 bucket name");
        assertInputError("cache: {s3: \"s3://bucket/a/../b\"}", "cache.s3: the key prefix \"a/../b\"");
        assertInputError("cache: {s3: \"s3://bucket\", endpoint: \"http://h:9000/path\"}",
                "cache.endpoint: expected http(s)://HOST[:PORT]");
        assertInputError("cache: {s3: \"s3://bucket\", endpoint: \"ftp://h\"}", "cache.endpoint");
        assertInputError("cache: {s3: \"s3://bucket\", region: \"EU West\"}", "cache.region");
        assertInputError("cache: {s3: \"s3://bucket\", pathStyle: maybe}", "cache.pathStyle: expected true or false");
        assertInputError("cache: {s3: \"s3://bucket\", secretKey: x}", "cache.secretKey: unknown field 'secretKey'");
        assertInputError("cache: {endpoint: \"http://h\"}", "cache: missing required field 's3'");
        assertInputError("cache: {s3: s3://bucket}\ndefaults: {cache: sometimes}",
                "2:19: defaults.cache: expected off or on");
    }

    private void assertInputError(String cacheYaml, String message) throws Exception {
        Inventory inventory = inventory(cacheYaml + "\nhosts: {a: {local: {root: a}, cache: off}}\n");
        assertThatThrownBy(() -> CacheConfig.load(inventory)).isInstanceOf(DeployException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT));
    }

    @Test
    void theHostScriptDeclaresTheExitsTheSubstituterReactsTo() {
        Map<String, Integer> declared = CacheSubstituter.script(new dev.deploy.store.HostLayout("/s")).declaredExits();
        assertThat(declared).isEqualTo(Arrays.stream(SubstituteExit.values())
                .collect(Collectors.toMap(Enum::name, SubstituteExit::code)));
    }
}
