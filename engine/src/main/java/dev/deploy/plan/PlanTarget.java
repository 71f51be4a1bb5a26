package dev.deploy.plan;

import dev.deploy.inventory.ActivationPolicy;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a saved plan's host is reached and activated, from the inventory when the plan was made: the
 * connection ({@code ssh USER@ADDRESS:PORT}, each jump host after {@code via}, or {@code local PATH} with
 * {@code (systemd)} when deploy manages its services), the state directory, the privilege escalation
 * ({@code sudo}, {@code doas}; null: none) and the activation policy (magic rollback, confirm timeout in seconds,
 * units taken over). Applying the plan is refused when the inventory now says otherwise: the base the plan was
 * checked against belongs to the host at that address, and the actions were reviewed under that policy.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record PlanTarget(String connection, String stateDir, String become, boolean magicRollback,
                         long confirmTimeoutSeconds, List<String> takeOver) {

    public PlanTarget {
        takeOver = takeOver == null ? null : List.copyOf(takeOver);
    }

    /** {@code host}'s target and policy as the inventory gives them now. */
    public static PlanTarget of(Host host) {
        HostTarget target = host.target();
        ActivationPolicy policy = host.activation();
        return new PlanTarget(connection(target), target.stateDir(),
                target.become().map(b -> b.method().program()).orElse(null), policy.magicRollback(),
                policy.confirmTimeout().toSeconds(), policy.takeOver().stream().sorted().toList());
    }

    private static String connection(HostTarget target) {
        if (target instanceof HostTarget.Local local) {
            return "local " + local.stateDir() + (local.systemd() ? " (systemd)" : "");
        }
        HostTarget.Ssh ssh = (HostTarget.Ssh) target;
        StringBuilder text = new StringBuilder("ssh ").append(ssh.user()).append('@').append(ssh.address())
                .append(':').append(ssh.port());
        for (Optional<HostTarget.Ssh> jump = ssh.jump(); jump.isPresent(); jump = jump.get().jump()) {
            text.append(" via ").append(jump.get().user()).append('@').append(jump.get().address()).append(':')
                    .append(jump.get().port());
        }
        return text.toString();
    }

    /** The first way {@code now} differs from this, in words; empty when it does not. */
    public Optional<String> differenceFrom(PlanTarget now) {
        if (!Objects.equals(connection, now.connection)) {
            return Optional.of("the inventory now reaches it as " + now.connection + ", the plan was made for "
                    + connection);
        }
        if (!Objects.equals(stateDir, now.stateDir)) {
            return Optional.of("its state directory is now " + now.stateDir + ", the plan was made for " + stateDir);
        }
        if (!Objects.equals(become, now.become)) {
            return Optional.of("become is now " + Objects.requireNonNullElse(now.become, "none")
                    + ", the plan was made with " + Objects.requireNonNullElse(become, "none"));
        }
        if (magicRollback != now.magicRollback || confirmTimeoutSeconds != now.confirmTimeoutSeconds) {
            return Optional.of("its activation policy is now magicRollback " + now.magicRollback + ", confirmTimeout "
                    + now.confirmTimeoutSeconds + "s; the plan was made with magicRollback " + magicRollback
                    + ", confirmTimeout " + confirmTimeoutSeconds + "s");
        }
        if (!Objects.equals(takeOver, now.takeOver)) {
            return Optional.of("takeOver is now " + now.takeOver + ", the plan was made with " + takeOver);
        }
        return Optional.empty();
    }
}
