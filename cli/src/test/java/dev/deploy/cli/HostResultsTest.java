package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.HostResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit code of a run from its hosts' results, and of an error that ended a whole command. */
class HostResultsTest {

    private static int exit(List<HostResult<ApplyOutcome>> results) {
        return HostResults.exitCode(results);
    }

    @Test
    void hostsThatAllEndedWellExitZero() {
        assertThat(exit(List.of(Fixtures.applied(Fixtures.ssh("web1"))))).isEqualTo(ExitCodes.OK);
    }

    @Test
    void anyFailedHostExitsOneAndAHealthRollbackIsAFailure() {
        assertThat(exit(List.of(Fixtures.applied(Fixtures.ssh("web1")), Fixtures.rolledBack(Fixtures.ssh("web2")))))
                .isEqualTo(ExitCodes.HOST_FAILED);
        assertThat(exit(List.of(Fixtures.unreachable(Fixtures.ssh("web1"))))).isEqualTo(ExitCodes.HOST_FAILED);
    }

    @Test
    void aLockHeldElsewhereExitsFourUnlessAnotherHostFailedWorse() {
        assertThat(exit(List.of(Fixtures.locked(Fixtures.ssh("web1")), Fixtures.skipped(Fixtures.ssh("web2")))))
                .isEqualTo(ExitCodes.LOCKED);
        assertThat(exit(List.of(Fixtures.locked(Fixtures.ssh("web1")), Fixtures.unreachable(Fixtures.ssh("web2")))))
                .isEqualTo(ExitCodes.HOST_FAILED);
    }

    @Test
    void aHostThatRefusedBadInputMakesTheRunBadInput() {
        assertThat(exit(List.of(Fixtures.unreachable(Fixtures.ssh("web1")), Fixtures.inputRefused(Fixtures.ssh("web2")))))
                .isEqualTo(ExitCodes.INPUT);
    }

    @Test
    void aHostThatRefusedBadInputWhileAnotherHostChangedIsAHostFailureNotBadInput() {
        // Exit 3 promises that nothing on any host changed; web1 was deployed.
        assertThat(exit(List.of(Fixtures.applied(Fixtures.ssh("web1")), Fixtures.inputRefused(Fixtures.ssh("web2")))))
                .isEqualTo(ExitCodes.HOST_FAILED);
    }

    @Test
    void anErrorThatEndsAWholeCommandMapsByItsKind() {
        assertThat(Main.exitCode(DeployException.input(null, "--keep", "must be at least 1"))).isEqualTo(3);
        assertThat(Main.exitCode(DeployException.host("web1", "connect", "refused"))).isEqualTo(1);
        assertThat(Main.exitCode(DeployException.locked("web1", "lock", "held"))).isEqualTo(4);
    }
}
