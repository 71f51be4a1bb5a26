package dev.deploy.store;

import java.util.List;

/**
 * Where things live on a host: every path deploy reads or writes there is named here, so host scripts get paths as
 * values instead of building them.
 * <pre>
 * STATE/store/HASH-NAME             immutable artifacts (read-only once sealed)
 * STATE/store/.meta/HASH-NAME       a store path's entry and checksum lists (gzip): the base of later deltas and of
 *                                   drift checks (written last when sealing: a sealed file is older than it)
 * STATE/store/.incoming-*           transfers in progress; removed by the next locked run if a transfer was cut (a
 *                                   repaired path's damaged copy goes there after the swap)
 * STATE/generations/N/              manifest.json, roots/ROLE and units/SVC.service links into the store
 * STATE/generations/N/failed        present when generation N failed (one line: time and why)
 * STATE/generations/.new-N          generation N while it is written (renamed to N when complete)
 * STATE/current -> generations/N    the live generation, switched with one rename of STATE/.current.new
 * STATE/lock, STATE/lock.owner      the per-host deploy lock and who holds it (lock.owner.XXXXXX while written)
 * STATE/watchdog/                   the activation in progress: state, deadline, revert.sh, watchdog.sh, lock, log
 * STATE/taken-over/SVC.service      an admin's unit file that the inventory let deploy take over, put back when
 *                                   deploy stops managing the service
 * STATE/secrets/                    secret versions (root, 0711: not listable); key (root, 0600): the naming key
 * STATE/secrets/HMAC-MODULE.NAME    one secret version, with its declared owner, group and mode
 * STATE/generations/N/secrets/MODULE.NAME -> STATE/secrets/HMAC-MODULE.NAME   the versions generation N uses
 * /etc/systemd/system/SVC.service -> STATE/current/units/SVC.service   (systemd hosts)
 * </pre>
 * Every directory is created with mode 0755 and every file written through an exclusively created temporary name and
 * a rename, so nothing depends on a umask and no write follows a planted symbolic link.
 */
public record HostLayout(String stateDir) {

    /** Where systemd reads an administrator's units, and where deploy links its own. */
    public static final String SYSTEMD_UNIT_DIR = "/etc/systemd/system";

    /**
     * Every other directory systemd reads system units and drop-ins ({@code NAME.service.d/}) from, in its order
     * (systemd.unit(5), "System Unit Search Path", plus Debian's {@code /lib/systemd/system}): a unit or drop-in of a
     * service's name in any of them was made by someone else (a package, a generator such as systemd-sysv-generator,
     * {@code systemctl set-property}, a transient or portable unit), so deploy's link would shadow it, be shadowed by
     * it, or be changed by it.
     */
    public static final List<String> SYSTEMD_OTHER_UNIT_DIRS = List.of("/etc/systemd/system.control",
            "/run/systemd/system.control", "/run/systemd/transient", "/run/systemd/generator.early",
            "/etc/systemd/system.attached", "/run/systemd/system", "/run/systemd/system.attached",
            "/run/systemd/generator", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
            "/run/systemd/generator.late");

    /**
     * The template unit in {@link #SYSTEMD_UNIT_DIR} that runs {@code %f/watchdog/watchdog.sh} ({@link
     * #watchdogProgram()} of the state directory {@code %f}) after a reboot; its instance for a state directory is
     * wanted by multi-user.target once a watchdog was armed there as a transient unit.
     */
    public static final String BOOT_WATCHDOG_UNIT = "deploy-watchdog@.service";

    public String store() {
        return stateDir + "/store";
    }

    public String storePath(StorePath path) {
        return store() + "/" + path;
    }

    /** The directory of meta lists (one file per store path). */
    public String meta() {
        return store() + "/.meta";
    }

    public String meta(StorePath path) {
        return meta() + "/" + path;
    }

    /** The common prefix of transfers in progress ({@code store/.incoming-XXXXXXXX}). */
    public String incomingPrefix() {
        return store() + "/.incoming-";
    }

    public String generations() {
        return stateDir + "/generations";
    }

    public String generation(int number) {
        return generations() + "/" + number;
    }

    /** The common prefix of generations being written ({@code generations/.new-N}). */
    public String stagingPrefix() {
        return generations() + "/.new-";
    }

    public String staging(int number) {
        return stagingPrefix() + number;
    }

    public String manifest(int number) {
        return generation(number) + "/manifest.json";
    }

    /** Marks generation {@code number} as failed; holds the time and the reason. */
    public String failedMark(int number) {
        return generation(number) + "/failed";
    }

    public String current() {
        return stateDir + "/current";
    }

    /** The relative link target {@code current} has while generation {@code number} is live. */
    public static String currentTarget(int number) {
        return "generations/" + number;
    }

    /** The symlink made next to {@code current} and renamed over it. */
    public String currentNew() {
        return stateDir + "/.current.new";
    }

    /** The unit of {@code unit} (e.g. {@code web.service}) as systemd sees it: through {@code current}. */
    public String currentUnit(String unit) {
        return current() + "/units/" + unit;
    }

    public String lock() {
        return stateDir + "/lock";
    }

    public String lockOwner() {
        return stateDir + "/lock.owner";
    }

    public String watchdog() {
        return stateDir + "/watchdog";
    }

    /** One line: {@code armed|unguarded|confirmed|reverted|revert-failed|aborted TOKEN N P}. */
    public String watchdogState() {
        return watchdog() + "/state";
    }

    /** Seconds since the epoch after which the watchdog reverts, unless confirmed. */
    public String watchdogDeadline() {
        return watchdog() + "/deadline";
    }

    /** The program that switches back to the previous generation (links, units, services). */
    public String watchdogRevert() {
        return watchdog() + "/revert.sh";
    }

    /** The watchdog's loop (run by systemd-run or setsid). */
    public String watchdogProgram() {
        return watchdog() + "/watchdog.sh";
    }

    /** flock'ed by whoever changes the activation's state: activation, revert, confirm. */
    public String watchdogLock() {
        return watchdog() + "/lock";
    }

    public String watchdogLog() {
        return watchdog() + "/log";
    }

    public String takenOver() {
        return stateDir + "/taken-over";
    }

    /** Secret versions and the naming key (root-owned, 0711). */
    public String secrets() {
        return stateDir + "/secrets";
    }

    /** The host's secret-naming key (hex, root, 0600), created once. */
    public String secretKey() {
        return secrets() + "/key";
    }

    /** One secret version, by its keyed name. */
    public String secretVersion(String version) {
        return secrets() + "/" + version;
    }

    /** Secret {@code MODULE.NAME} as services see it: through the current generation's link to its version. */
    public String currentSecret(String name) {
        return current() + "/secrets/" + name;
    }
}
