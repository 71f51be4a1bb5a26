package dev.deploy.plan;

import dev.deploy.DeployException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a host's state directory has room for a plan: {@link HostPlan#bytesNeeded()} against the free space the
 * facts reported ({@code df -Pk} of the state directory: blocks available to this user). Checked by plan and by
 * apply before anything is sent, so a full disk stops a host before the transfer instead of in the middle of it.
 */
public final class FreeSpace {

    /** The step name in errors. */
    public static final String STEP = "free space";

    private FreeSpace() {
    }

    /** The shortfall, when the host reported its free space and it is less than the plan needs. */
    public static Optional<String> shortfall(HostPlan plan) {
        long have = plan.state().freeBytes();
        long need = plan.bytesNeeded();
        if (have < 0 || need <= have) {
            return Optional.empty();
        }
        return Optional.of("not enough space on " + plan.host().name() + ": need " + bytes(need) + ", have "
                + bytes(have) + " in " + plan.host().target().stateDir());
    }

    /**
     * @throws DeployException of kind HOST (step {@value #STEP}) when the plan does not fit
     */
    public static void require(HostPlan plan) {
        shortfall(plan).ifPresent(detail -> {
            throw DeployException.host(plan.host().name(), STEP, detail);
        });
    }

    /** {@code bytes} for people: {@code 512 B}, {@code 3.4 MiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
