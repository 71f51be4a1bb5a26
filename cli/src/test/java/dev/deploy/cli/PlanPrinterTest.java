package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.plan.HostPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code deploy plan} prints per host and in its last line. */
class PlanPrinterTest {

    private static List<String> print(HostPlan plan) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        new PlanPrinter(out, new Style(true)).print(plan);
        out.flush();
        return text.toString().lines().toList();
    }

    @Test
    void aHostThatStartsServicesShowsWhatTheSwitchDoesToThem() {
        assertThat(print(Fixtures.sitePlan(Fixtures.ssh("web1"), true))).containsExactly(
                "web1 (deploy@203.0.113.10): generation 1 -> generation 2",
                "  ~ source/site.content  " + Fixtures.OLD_SITE + " -> " + Fixtures.SITE.storePath(),
                "      from path:/srv/site",
                "  ~ restart web",
                "  store paths to add: 1 (2 files, 300 B; files the host already has are copied there, not sent)");
        assertThat(print(Fixtures.firstPlan(Fixtures.localSystemd("box"), true)))
                .contains("  + start   web", "  store paths to add: 1 (2 files, 300 B)")
                .noneMatch(line -> line.contains("recorded"));
    }

    @Test
    void aLiveGenerationMarkedFailedIsNeverNoChanges() {
        assertThat(print(Fixtures.failedCurrent(Fixtures.ssh("web1")))).containsExactly(
                "web1 (deploy@203.0.113.10): generation 1 -> generation 2",
                "  ! generation 1 is marked failed (health check: web answered 500): apply restarts every service");
    }

    @Test
    void aLocalTargetWithoutSystemdServicesSaysItOnlyRecordsThemInsteadOfClaimingARestart() {
        List<String> lines = print(Fixtures.sitePlan(Fixtures.local("laptop"), true));

        assertThat(lines).contains("  ~ service web  (recorded only: local target without services: systemd)");
        assertThat(lines).noneMatch(line -> line.contains("restart") || line.contains("start "));
    }

    @Test
    void aHostWithoutSystemdSaysWhyNothingIsStarted() {
        assertThat(print(Fixtures.firstPlan(Fixtures.ssh("web1"), false)))
                .contains("  + service web  (recorded only: no systemd on this host)");
    }

    @Test
    void theSummaryCountsOnlyTheServicesHostsStartAndTheRestAsRecorded() {
        List<HostPlan> plans = List.of(Fixtures.sitePlan(Fixtures.ssh("web1"), true),
                Fixtures.sitePlan(Fixtures.local("laptop"), true), Fixtures.noChanges(Fixtures.ssh("web2")));

        assertThat(PlanPrinter.summaryLine(plans, 0, new Style(true))).isEqualTo("Plan: 2 of 3 hosts to change, "
                + "2 store paths to add (600 B), 1 service to start or restart, 1 service change only recorded.");
        assertThat(PlanPrinter.summaryLine(List.of(Fixtures.sitePlan(Fixtures.local("laptop"), true)), 0,
                new Style(true))).isEqualTo("Plan: 1 of 1 host to change, 1 store path to add (300 B), "
                + "1 service change only recorded.");
    }

    @Test
    void aPlanWithAHostThatCouldNotBeReadIsIncompleteAndNeverSaysUpToDate() {
        String line = PlanPrinter.summaryLine(List.of(Fixtures.noChanges(Fixtures.ssh("web1"))), 1, new Style(true));

        assertThat(line).startsWith("Plan: incomplete. 1 of 2 hosts could not be planned (errors above)")
                .doesNotContain("up to date").doesNotContain("no changes");
        assertThat(PlanPrinter.summaryLine(List.of(Fixtures.noChanges(Fixtures.ssh("web1"))), 0, new Style(true)))
                .isEqualTo("Plan: no changes. 1 host up to date.");
    }
}
