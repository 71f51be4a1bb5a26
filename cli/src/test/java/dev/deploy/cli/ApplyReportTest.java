package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.HostResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table, summary and error lines that end {@code deploy apply}. */
class ApplyReportTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private void print(List<HostResult<ApplyOutcome>> results) {
        PrintWriter stdout = new PrintWriter(out);
        PrintWriter stderr = new PrintWriter(err);
        new ApplyReport(stdout, stderr, new Style(true)).print(Fixtures.rollout(results), ApplyView.silent(), false);
        stdout.flush();
        stderr.flush();
    }

    @Test
    void everyHostHasARowAndTheSummaryCountsEachOutcome() {
        print(List.of(Fixtures.applied(Fixtures.ssh("web1")), Fixtures.rolledBack(Fixtures.ssh("web2")),
                Fixtures.unreachable(Fixtures.ssh("web3")), Fixtures.skipped(Fixtures.ssh("web4"))));

        assertThat(out.toString().lines()).containsExactly(
                "",
                "HOST                 GENERATION CHANGED  SENT      REUSED       TIME     RESULT",
                "web1                 2          yes      100 B     1 file       2.4s     ok",
                "web2                 1          yes      100 B     1 file       21.0s    ROLLED BACK",
                "web3                 -          -        -         -            0.3s     UNREACHABLE",
                "web4                 -          -        -         -            -        skipped",
                "Apply: 1 applied, 1 rolled back, 1 unreachable, 1 skipped.");
    }

    @Test
    void eachFailedHostGetsOneErrorLineNamingItsStep() {
        print(List.of(Fixtures.rolledBack(Fixtures.ssh("web2")), Fixtures.unreachable(Fixtures.ssh("web3"))));

        assertThat(err.toString().lines()).contains(
                "deploy: error: web2: health check: service web.service is not healthy after 20s "
                        + "(http://127.0.0.1:8080/ answered 503); rolled back to generation 1",
                "deploy: error: web3: connect: 203.0.113.10:22: connection refused");
    }
}
