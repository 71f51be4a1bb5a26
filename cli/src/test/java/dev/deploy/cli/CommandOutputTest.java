package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.activation.GarbageCollector;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostPlan;
import dev.deploy.status.HostStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The text of rollback, gc and generations: what they say happened is what happened. */
class CommandOutputTest {

    private static final List<HostPlan.ServiceChange> RESTART_WEB =
            List.of(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));

    @Test
    void aRollbackSaysItRestartedOnlyWhereTheHostStartsServices() {
        assertThat(RollbackCommand.line(Fixtures.ssh("web1"), new RollbackOutcome(2, 1, RESTART_WEB, true, List.of())))
                .isEqualTo("web1: generation 2 -> 1 (restart web)");
        assertThat(RollbackCommand.line(Fixtures.local("laptop"),
                new RollbackOutcome(2, 1, RESTART_WEB, false, List.of())))
                .isEqualTo("laptop: generation 2 -> 1 (web changed; recorded only: local target without "
                        + "services: systemd)");
        assertThat(RollbackCommand.line(Fixtures.ssh("web1"), new RollbackOutcome(3, 2, List.of(), true, List.of())))
                .isEqualTo("web1: generation 3 -> 2");
    }

    @Test
    void statusSaysWhatApplyWouldDoWithoutClaimingARestartWhereTheHostStartsNoServices() {
        HostPlan onSsh = Fixtures.sitePlan(Fixtures.ssh("web1"), true);
        assertThat(StatusPrinter.outdated(onSsh.host(), new HostStatus("web1", onSsh.state(), Optional.of(onSsh),
                Optional.empty(), HostDrift.Check.NONE, true)))
                .isEqualTo("apply would: ~source/site.content, restart web");
        HostPlan onLaptop = Fixtures.sitePlan(Fixtures.local("laptop"), false);
        assertThat(StatusPrinter.outdated(onLaptop.host(), new HostStatus("laptop", onLaptop.state(),
                Optional.of(onLaptop), Optional.empty(), HostDrift.Check.NONE, false)))
                .isEqualTo("apply would: ~source/site.content, web changed; recorded only: local target without "
                        + "services: systemd");
    }

    private static String gc(GarbageCollector.Collection collection, boolean dryRun) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        GcCommand.print(out, "web1", collection, dryRun);
        out.flush();
        return text.toString();
    }

    @Test
    void gcCountsWhatItDeletesAndSaysWhenThereIsNothing() {
        var path = Fixtures.storePath(Fixtures.OLD_SITE);
        assertThat(gc(new GarbageCollector.Collection(List.of(1), List.of(path)), false))
                .isEqualTo("web1: deleted generation 1 and 1 store path\n  - " + path + "\n");
        assertThat(gc(new GarbageCollector.Collection(List.of(1, 2), List.of()), true))
                .isEqualTo("web1: would delete generations 1, 2 and 0 store paths\n");
        assertThat(gc(new GarbageCollector.Collection(List.of(), List.of()), false)).isEqualTo("web1: nothing to delete\n");
    }

    @Test
    void generationsNameServiceChangesWithoutClaimingARestart() {
        GenerationManifest first = Fixtures.desired("web1").manifest();
        TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>(first.services());
        services.put("web", new GenerationManifest.ServiceEntry(Fixtures.UNIT.replace("eoj", "xyz"),
                services.get("web").inputs(), null));
        services.put("worker", new GenerationManifest.ServiceEntry(Fixtures.UNIT, new TreeMap<>(Map.of()), null));
        GenerationManifest second = new GenerationManifest(first.format(), 2, null, "web1", first.roots(),
                first.origins(), services);

        assertThat(GenerationsCommand.summary(null, first)).isEqualTo("1 root, 1 service");
        assertThat(GenerationsCommand.summary(first, second)).isEqualTo("~service web, +service worker");
        assertThat(GenerationsCommand.summary(first, first)).isEqualTo("same content");
    }

    @Test
    void generationsMarkAFailedGenerationWithWhyInTextAndJson() throws Exception {
        GenerationManifest manifest = Fixtures.desired("web1").manifest();
        List<GenerationInfo> generations = List.of(new GenerationInfo(1, true, manifest),
                new GenerationInfo(2, false, manifest, Optional.of("health check: web answered 500")));
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        GenerationsCommand.print(out, "web1", generations);
        out.flush();

        assertThat(text.toString().lines().toList().get(2))
                .matches("  ! +2  .*  same content  FAILED: health check: web answered 500");
        JsonNode json = new ObjectMapper().readTree(Json.write(JsonDocuments.generations(List.of(
                new HostResult.Done<>(Fixtures.ssh("web1"), generations, Duration.ZERO)), Fixtures::stats, 0)));
        JsonNode listed = json.get("hosts").get(0).get("generations");
        assertThat(listed.get(0).get("failed").isNull()).isTrue();
        assertThat(listed.get(1).get("failed").asText()).isEqualTo("health check: web answered 500");
    }
}
