package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.cache.CacheConfig;
import dev.deploy.cache.CacheSettings;
import dev.deploy.cli.json.JsonDocument;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.plan.HostPlan;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The --json documents as a consumer reads them. */
class JsonDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(JsonDocument document) throws Exception {
        return JSON.readTree(Json.write(document));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyDocumentsHostEntryHasTheFieldsTheReadmePromisesEveryHostEntry() {
        // README, JSON output: "Every host entry has host, outcome, error, problem and transport".
        List<String> checked = new ArrayList<>();
        for (Class<?> document : JsonDocument.class.getPermittedSubclasses()) {
            for (RecordComponent component : document.getRecordComponents()) {
                if (component.getName().equals("hosts")
                        && component.getGenericType() instanceof ParameterizedType list
                        && list.getActualTypeArguments()[0] instanceof Class<?> entry && entry.isRecord()) {
                    assertThat(Arrays.stream(entry.getRecordComponents()).map(RecordComponent::getName).toList())
                            .as(document.getSimpleName() + " hosts[]")
                            .contains("host", "outcome", "error", "problem", "transport");
                    checked.add(document.getSimpleName());
                }
            }
        }
        assertThat(checked).contains("PlanDocument", "ApplyDocument", "StatusDocument", "GcDocument");
    }

    @Test
    void aHostErrorCarriesHostStepAndInputLocationAsFieldsBesideItsLine() throws Exception {
        List<HostResult<HostPlan>> results = List.of(Fixtures.inputRefused(Fixtures.ssh("web1")),
                Fixtures.locked(Fixtures.ssh("web2")));

        JsonNode hosts = read(JsonDocuments.plan(results, Fixtures::stats, ExitCodes.INPUT, List.of(),
                CacheConfig.NONE)).get("hosts");

        JsonNode refused = hosts.get(0).get("problem");
        assertThat(hosts.get(0).get("error").asText()).isEqualTo("inventory.yaml:7:18: web1: "
                + "hosts.web1.options.site.port: expected an integer, got \"eighty\"");
        assertThat(refused.get("kind").asText()).isEqualTo("input");
        assertThat(refused.get("host").asText()).isEqualTo("web1");
        assertThat(refused.get("file").asText()).isEqualTo("inventory.yaml");
        assertThat(refused.get("line").asInt()).isEqualTo(7);
        assertThat(refused.get("column").asInt()).isEqualTo(18);
        assertThat(refused.get("field").asText()).isEqualTo("hosts.web1.options.site.port");
        assertThat(refused.get("detail").asText()).isEqualTo("expected an integer, got \"eighty\"");
        JsonNode locked = hosts.get(1).get("problem");
        assertThat(locked.get("kind").asText()).isEqualTo("locked");
        assertThat(locked.get("step").asText()).isEqualTo("lock");
        assertThat(locked.get("file").isNull()).isTrue();
    }

    @Test
    void everyHostEntryHasTheSameFieldsWhetherItsHostSucceededOrFailed() throws Exception {
        List<HostResult<HostPlan>> results = List.of(new HostResult.Done<>(Fixtures.ssh("web1"),
                Fixtures.sitePlan(Fixtures.ssh("web1"), true), java.time.Duration.ZERO),
                Fixtures.inputRefused(Fixtures.ssh("web2")));

        JsonNode document = read(JsonDocuments.plan(results, Fixtures::stats, ExitCodes.INPUT, List.of(),
                CacheConfig.NONE));

        assertThat(names(document.get("hosts").get(1))).isEqualTo(names(document.get("hosts").get(0)));
        assertThat(document.get("hosts").get(0).get("outcome").asText()).isEqualTo("ok");
        assertThat(document.get("hosts").get(0).get("problem").isNull()).isTrue();
        assertThat(document.get("hosts").get(1).get("changes").isNull()).isTrue();
        assertThat(document.get("failedHosts").asInt()).isEqualTo(1);
        assertThat(document.get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void aPlanSaysWhyTheLiveGenerationIsMarkedFailedAndCountsItAsAChange() throws Exception {
        HostPlan plan = Fixtures.failedCurrent(Fixtures.ssh("web1"));
        JsonNode host = read(JsonDocuments.plan(List.of(new HostResult.Done<>(Fixtures.ssh("web1"), plan,
                java.time.Duration.ZERO)), Fixtures::stats, 0, List.of(), CacheConfig.NONE)).get("hosts").get(0);

        assertThat(host.get("changes").asBoolean()).isTrue();
        assertThat(host.get("currentGenerationFailed").asText()).isEqualTo("health check: web answered 500");
        assertThat(read(JsonDocuments.plan(List.of(new HostResult.Done<>(Fixtures.ssh("web1"),
                Fixtures.noChanges(Fixtures.ssh("web1")), java.time.Duration.ZERO)), Fixtures::stats, 0, List.of(), CacheConfig.NONE))
                .get("hosts").get(0).get("currentGenerationFailed").isNull()).isTrue();
    }

    @Test
    void aPlanSaysWhereEachHostsMissingFilesComeFrom() throws Exception {
        CacheConfig cache = new CacheConfig(Optional.of(new CacheSettings("bucket", "", Optional.empty(),
                Optional.empty(), true)), Map.of("web2", false));
        List<HostResult<HostPlan>> results = List.of(
                new HostResult.Done<>(Fixtures.ssh("web1"), Fixtures.sitePlan(Fixtures.ssh("web1"), true),
                        java.time.Duration.ZERO),
                new HostResult.Done<>(Fixtures.ssh("web2"), Fixtures.sitePlan(Fixtures.ssh("web2"), true),
                        java.time.Duration.ZERO));

        JsonNode withCache = read(JsonDocuments.plan(results, Fixtures::stats, 0, List.of(), cache)).get("hosts");
        JsonNode without = read(JsonDocuments.plan(results, Fixtures::stats, 0, List.of(), CacheConfig.NONE))
                .get("hosts");

        assertThat(withCache.get(0).get("contentFrom").asText()).isEqualTo("cache");
        assertThat(withCache.get(1).get("contentFrom").asText()).isEqualTo("controller-cache-off");
        assertThat(without.get(0).get("contentFrom").asText()).isEqualTo("controller");
    }

    @Test
    void aPlanSaysWhetherTheHostStartsItsServices() throws Exception {
        JsonNode local = read(JsonDocuments.plan(List.of(new HostResult.Done<>(Fixtures.local("laptop"),
                Fixtures.sitePlan(Fixtures.local("laptop"), true), java.time.Duration.ZERO)), Fixtures::stats, 0, List.of(),
                CacheConfig.NONE)).get("hosts").get(0);

        assertThat(local.get("services").get(0).get("action").asText()).isEqualTo("restart");
        assertThat(local.get("servicesStarted").asBoolean()).isFalse();
        assertThat(local.get("storePathsToAdd").get(0).get("origin").asText()).isEqualTo("path:/srv/site");
        assertThat(local.get("transport").get("roundTrips").asLong()).isEqualTo(3);
    }

    @Test
    void aRolledBackHostNamesTheHealthCheckStepAndWhatItAnswered() throws Exception {
        JsonNode web2 = JSON.readTree(Json.write(Documents.apply())).get("hosts").get(1);

        assertThat(web2.get("outcome").asText()).isEqualTo("rolled-back");
        assertThat(web2.get("result").asText()).isEqualTo("rolled-back");
        assertThat(web2.get("step").asText()).isEqualTo("health check");
        assertThat(web2.get("problem").get("host").asText()).isEqualTo("web2");
        assertThat(web2.get("problem").get("detail").asText()).startsWith("service web.service is not healthy")
                .endsWith("rolled back to generation 1");
        assertThat(web2.get("generation").asInt()).isEqualTo(1);
        assertThat(web2.get("plan").get("nextGeneration").asInt()).isEqualTo(2);
    }

    @Test
    void aRollbackOnAHostThatOnlyRecordsServicesSaysSo() throws Exception {
        RollbackOutcome back = new RollbackOutcome(2, 1,
                List.of(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART)), false, List.of());

        JsonNode host = read(JsonDocuments.rollback(List.of(new HostResult.Done<>(Fixtures.local("laptop"), back,
                java.time.Duration.ZERO)), Fixtures::stats, 0)).get("hosts").get(0);

        assertThat(host.get("result").asText()).isEqualTo("ok");
        assertThat(host.get("services").get(0).asText()).isEqualTo("restart web");
        assertThat(host.get("servicesStarted").asBoolean()).isFalse();
    }
}
