package dev.deploy.plan;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.secret.Secret;
import java.util.List;
import java.util.TreeSet;

/**
 * The owners and groups of a host's secret files must exist there: the facts round trip asks the host about each
 * named one ({@code getent passwd NAME}, {@code getent group NAME}; {@code facts.sh}), and plan and apply refuse a
 * missing one before anything is sent or written, naming the secret and the account (never a value). Numeric ids
 * are not asked about: {@code chown} accepts any.
 */
public final class SecretAccounts {

    private SecretAccounts() {
    }

    /** {@code user NAME} and {@code group NAME} for every named owner and group of {@code desired}'s secrets, sorted. */
    public static List<String> accounts(DesiredGeneration desired) {
        TreeSet<String> accounts = new TreeSet<>();
        for (Secret secret : desired.secrets().values()) {
            if (!numeric(secret.owner())) {
                accounts.add("user " + secret.owner());
            }
            if (!numeric(secret.group())) {
                accounts.add("group " + secret.group());
            }
        }
        return List.copyOf(accounts);
    }

    /** Whether {@code state}'s facts asked about every account {@code desired} needs. */
    public static boolean checked(DesiredGeneration desired, HostState state) {
        return state.secrets().checkedAccounts().containsAll(accounts(desired));
    }

    /**
     * @throws DeployException of kind HOST (step {@code secrets}) naming the first secret whose owner or group the
     *                         host lacks
     */
    public static void check(Host host, DesiredGeneration desired, HostState state) {
        for (Secret secret : desired.secrets().values()) {
            for (String account : List.of("user " + secret.owner(), "group " + secret.group())) {
                if (state.secrets().missingAccounts().contains(account)) {
                    String kind = account.startsWith("user ") ? "owner" : "group";
                    throw DeployException.host(host.name(), "secrets", "secret " + secret.name() + ": " + kind + " "
                            + account.substring(account.indexOf(' ') + 1) + " does not exist on this host (create "
                            + "the " + (kind.equals("owner") ? "user" : "group") + " first, or declare another "
                            + kind + "); nothing was changed");
                }
            }
        }
    }

    private static boolean numeric(String account) {
        return account.chars().allMatch(Character::isDigit);
    }
}
