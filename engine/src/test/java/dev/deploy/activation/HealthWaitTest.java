package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthWaitTest {

    /** Answers from a script: each check takes the next answer (null = healthy); the last one repeats. */
    private static HealthWait.Probe scripted(String what, String... answers) {
        List<String> script = java.util.Arrays.asList(answers);
        return new HealthWait.Probe() {
            private int checks;

            @Override
            public String what() {
                return what;
            }

            @Override
            public String check(Duration budget) {
                checks++;
                return script.get(Math.min(checks, script.size()) - 1);
            }

            @Override
            public String passed() {
                return what + " ok after " + checks + " checks";
            }
        };
    }

    @Test
    void healthyOnlyWhenAllProbesPassInTheSamePoll() throws Exception {
        HealthWait.Outcome outcome = HealthWait.await("web.service", Duration.ofSeconds(20),
                List.of(scripted("unit", "activating", null, null),
                        scripted("http://h/", null, "answered 503", null)));

        assertThat(outcome.healthy()).isTrue();
        assertThat(outcome.line()).matches("service web\\.service is healthy after [0-9.]+s "
                + "\\(unit ok after 3 checks, http://h/ ok after 3 checks\\)");
    }

    @Test
    void probesThatPassAtOnceNeedOnePoll() throws Exception {
        HealthWait.Outcome outcome = HealthWait.await("web.service", Duration.ofSeconds(20),
                List.of(scripted("unit", (String) null)));

        assertThat(outcome.line()).matches("service web\\.service is healthy after 0\\.[0-9]s \\(unit ok after 1 checks\\)");
    }

    @Test
    void aProbeThatNeverPassesFailsAtTheTimeoutWithItsLastAnswer() throws Exception {
        long start = System.nanoTime();
        HealthWait.Outcome outcome = HealthWait.await("web.service", Duration.ofSeconds(2),
                List.of(scripted("unit", (String) null), scripted("http://h/", "connection refused", "answered 502")));

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.line()).isEqualTo("service web.service is not healthy after 2s (http://h/: answered 502)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void everyFailingProbeIsNamed() throws Exception {
        HealthWait.Outcome outcome = HealthWait.await("web.service", Duration.ZERO,
                List.of(scripted("unit", "failed"), scripted("http://h/", "connection refused")));

        assertThat(outcome.line()).isEqualTo("service web.service is not healthy after 0s "
                + "(unit: failed; http://h/: connection refused)");
    }

    @Test
    void aProbeThatGivesUpEndsTheWaitAtOnceWithItsPollCount() throws Exception {
        HealthWait.Probe failedUnit = new HealthWait.Probe() {
            @Override
            public String what() {
                return "unit";
            }

            @Override
            public String check(Duration budget) {
                return "failed";
            }

            @Override
            public boolean gaveUp() {
                return true;
            }
        };
        HealthWait.Outcome outcome = HealthWait.await("web.service", Duration.ofSeconds(600), List.of(failedUnit));

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.polls()).isEqualTo(1);
        assertThat(outcome.line()).isEqualTo("service web.service failed (gave up after 1 check: unit: failed)");
    }
}
