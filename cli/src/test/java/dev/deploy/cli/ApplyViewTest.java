package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.event.DeployEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal's live status view and the plain lines of a log. */
class ApplyViewTest {

    /** Stdout and stderr both on one terminal (or one log file, 2>&1), as a user sees them. */
    private final StringWriter terminal = new StringWriter();
    private final PrintWriter writer = new PrintWriter(terminal);

    @Test
    void theLiveViewKeepsOneLinePerHostAndRewritesItInPlace() {
        LiveStatusView view = new LiveStatusView(writer, writer, new Style(true), 80, List.of("web1", "web2"),
                Map.of("web1", 1, "web2", 1));
        view.accept(new DeployEvent.HostStarted(Events.AT, "web1"));
        view.accept(new DeployEvent.HostStarted(Events.AT, "web2"));
        view.accept(new DeployEvent.TransferProgress(Events.AT, "web2", 100, 300, 1, 3));
        view.accept(new DeployEvent.TransferProgress(Events.AT, "web2", 300, 300, 3, 3));
        view.accept(new DeployEvent.HostFinished(Events.AT, "web1", "unreachable"));

        assertThat(ScreenEmulator.render(terminal.toString()))
                .containsExactly("web1  unreachable", "web2  sent 3/3 files, 300 B of 300 B");
    }

    @Test
    void theLiveViewPrintsEachPlanAboveTheStatusLinesAndErasesThemAtTheEnd() {
        LiveStatusView view = new LiveStatusView(writer, writer, new Style(true), 80, List.of("web1", "web2"),
                Map.of("web1", 1, "web2", 2));
        view.accept(new DeployEvent.HostStarted(Events.AT, "web1"));
        view.accept(new DeployEvent.Planned(Events.AT, "web1", Events.plan("web1")));
        view.accept(new DeployEvent.Switched(Events.AT, "web1", 1, 2));

        List<String> screen = ScreenEmulator.render(terminal.toString());
        assertThat(screen).containsExactly("web1 (local /srv/web1): generation 1 -> generation 2",
                "  ~ restart web", "web1  switched to generation 2, checking health", "web2  waiting (batch 2)");

        view.close();
        assertThat(ScreenEmulator.render(terminal.toString()))
                .containsExactly("web1 (local /srv/web1): generation 1 -> generation 2", "  ~ restart web");
    }

    @Test
    void theLiveViewCutsLinesToTheTerminalWidthSoNoneWraps() {
        LiveStatusView view = new LiveStatusView(writer, writer, new Style(true), 30, List.of("web1"),
                Map.of("web1", 1));
        view.accept(new DeployEvent.HealthChecked(Events.AT, "web1", "web", false,
                "http://127.0.0.1:8080/ answered 503 Service Unavailable"));

        assertThat(ScreenEmulator.render(terminal.toString())).singleElement()
                .satisfies(line -> assertThat(line).hasSize(29).startsWith("web1  unhealthy: http").endsWith("…"));
    }

    @Test
    void plainLinesShowAHostsPlanBeforeTheProgressThatBelongsToIt() {
        PlainProgressView view = new PlainProgressView(writer, writer, new Style(true), 1);
        Events.oneHost("web1").forEach(view::accept);
        writer.flush();

        assertThat(terminal.toString().split("\n")).containsExactly(
                "web1 (local /srv/web1): generation 1 -> generation 2",
                "  ~ restart web",
                "web1: sent 1/3 files, 100 B of 300 B",
                "web1: sent 3/3 files, 300 B of 300 B",
                "web1: switched to generation 2, checking health",
                "web1: health: web.service is healthy after 1.0s",
                "web1: confirmed generation 2",
                "web1: rolled back to generation 1",
                "web1: applied");
        assertThat(view.healthShown("web1")).isTrue();
    }

    @Test
    void aHostThatOnlyRecordsServicesIsNotSaidToBeCheckingHealth() {
        PlainProgressView view = new PlainProgressView(writer, writer, new Style(true), 1);
        dev.deploy.plan.HostPlan plan = Fixtures.sitePlan(Fixtures.local("laptop"), true);
        view.accept(new DeployEvent.Planned(Events.AT, "laptop", plan));
        view.accept(new DeployEvent.Switched(Events.AT, "laptop", 1, 2));
        writer.flush();

        assertThat(terminal.toString()).contains("  ~ service web  (recorded only: ")
                .contains("laptop: switched to generation 2\n").doesNotContain("checking health");
        assertThat(view.status(new DeployEvent.Planned(Events.AT, "laptop", plan)))
                .isEqualTo("planned: 1 store path, 300 B, 1 service change recorded only");
        assertThat(view.status(new DeployEvent.Planned(Events.AT, "web1", Fixtures.sitePlan(Fixtures.ssh("web1"),
                true)))).isEqualTo("planned: 1 store path, 300 B, 1 service action");
    }
}
