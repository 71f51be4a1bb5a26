package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a host reports about drift (names of damaged entries, leftovers, the lock holder) is data from the host: it
 * reaches the terminal escaped to one line, so a file name with ESC or a newline cannot rewrite the screen or forge
 * lines of the status output.
 */
class HostDriftTextTest {

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    @Test
    void aDamagedEntryNamedWithEscapesAndNewlinesIsShownEscapedOnOneLine() {
        HostDrift.PathCheck check = HostDrift.pathCheck("damaged entry f 444 \u0001\u001b[2J\tname\nforged line");
        assertThat(check).isInstanceOfSatisfying(HostDrift.PathCheck.Damaged.class, damaged -> {
            assertThat(hasControl(damaged.describe())).as(damaged.describe()).isFalse();
            assertThat(damaged.describe()).contains("\\x1b[2J").contains("\\n");
        });
        HostDrift.PathCheck unknown = HostDrift.pathCheck("unknown \u001b]0;title\u0007");
        assertThat(unknown).isInstanceOfSatisfying(HostDrift.PathCheck.Unknown.class,
                u -> assertThat(hasControl(u.reason())).isFalse());
        assertThat(hasControl(new HostDrift.LockState(HostDrift.LockState.Status.HELD, "pid 1\u001b[31m").holder()))
                .isFalse();
        assertThat(hasControl(new HostDrift.ServiceState("active\u001b[8m", "running", "loaded").label())).isFalse();
    }
}
