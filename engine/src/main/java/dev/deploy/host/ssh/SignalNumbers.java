package dev.deploy.host.ssh;

import net.schmizz.sshj.connection.channel.direct.Signal;

import java.util.Map;

/** POSIX numbers of the signals an SSH server reports by name, to turn {@code exit-signal} into a shell exit code. */
final class SignalNumbers {

    private static final Map<Signal, Integer> NUMBERS = Map.ofEntries(
            Map.entry(Signal.HUP, 1), Map.entry(Signal.INT, 2), Map.entry(Signal.QUIT, 3), Map.entry(Signal.ILL, 4),
            Map.entry(Signal.ABRT, 6), Map.entry(Signal.FPE, 8), Map.entry(Signal.KILL, 9),
            Map.entry(Signal.USR1, 10), Map.entry(Signal.SEGV, 11), Map.entry(Signal.USR2, 12),
            Map.entry(Signal.PIPE, 13), Map.entry(Signal.ALRM, 14), Map.entry(Signal.TERM, 15));

    private SignalNumbers() {
    }

    /** The Linux number of {@code signal}, or null for one without a fixed number. */
    static Integer of(Signal signal) {
        return NUMBERS.get(signal);
    }
}
