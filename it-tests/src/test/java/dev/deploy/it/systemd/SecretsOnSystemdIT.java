package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets on a real systemd host (Debian bookworm, one container for the class), through the CLI over SSH. A service
 * running as {@code nobody} answers with SHA-256 sums of what it read (its env secret, its file secret by path), so values are checked through the service, never by reading them as
 * root. Values are random per run and searched for everywhere they must not be.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsOnSystemdIT {

    private static final String STATE = "/var/lib/deploy";
    /**
     * What an apply changes on the host: secret versions, store paths, generations, units, the live generation. Without
     * {@code .} and {@code ..}: the state directory's own time changes whenever a run takes the host's lock (it
     * writes lock.owner), which is not a change an apply makes.
     */
    private static final String LISTING = "ls -lA " + STATE + "/secrets " + STATE + "/store " + STATE
            + "/generations /etc/systemd/system; readlink " + STATE + "/current";

    @TempDir
    static Path dir;

    private static DebianTestHost host;
    private static Path inventory;
    private static final List<CliRun> RUNS = new ArrayList<>();
    private static final List<String> VALUES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/vault.yaml"), """
                module: vault
                options:
                  port: {type: int, default: 8090}
                secrets:
                  apiKey: {as: env API_KEY}
                  cert: {as: file, owner: nobody, group: nogroup, mode: "0440"}
                  other: {as: env OTHER_KEY}
                files:
                  server:
                    name: server.py
                    text: |
                      import hashlib, http.server, json, os, sys
                      def sha(data):
                          return hashlib.sha256(data).hexdigest()
                      def read(path):
                          with open(path, "rb") as f:
                              return f.read()
                      class Handler(http.server.BaseHTTPRequestHandler):
                          def do_GET(self):
                              body = json.dumps({"uid": os.getuid(), "apiKey": sha(os.environb[b"API_KEY"]),
                                  "cert": sha(read(os.environ["CERT_PATH"])),
                                  "credentials": os.environ.get("CREDENTIALS_DIRECTORY", "")}).encode()
                              self.send_response(200)
                              self.end_headers()
                              self.wfile.write(body)
                          def log_message(self, *args):
                              pass
                      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
                services:
                  reader:
                    exec: /usr/bin/python3 ${files.server} ${port}
                    environment: {CERT_PATH: "${secrets.cert}"}
                    user: nobody
                    secrets: [apiKey, cert]
                    healthCheck:
                      command: python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/')"
                      timeout: 30s
                  bystander:
                    exec: /bin/sleep infinity
                    user: nobody
                    secrets: [other]
                """);
        write("api.key", value("api-one"));
        write("cert.pem", value("cert-one") + "\nsecond line\n");
        write("other.txt", value("other-one"));
        inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n" + host.inventoryEntry("deb1",
                "modules: [vault]",
                "secrets: {vault.apiKey: {file: api.key}, vault.cert: {file: cert.pem}, "
                        + "vault.other: {command: \"cat other.txt\"}}"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    /** A random value, remembered for the leak searches. */
    private static String value(String label) {
        String value = "SECRET-" + label + "-" + UUID.randomUUID();
        VALUES.add(value);
        return value;
    }

    private static void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static CliRun deploy(String... args) {
        CliRun run = CliRun.against(inventory, args);
        RUNS.add(run);
        return run;
    }

    /** {@code deploy apply INVENTORY PLAN}: a saved plan. */
    private static CliRun applyPlan(String plan) {
        CliRun run = CliRun.of("apply", "--no-color", inventory.toString(), plan);
        RUNS.add(run);
        return run;
    }

    private static JsonNode served() throws Exception {
        ExecResult result = host.exec("python3", "-c",
                "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8090/').read().decode())");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return new ObjectMapper().readTree(result.stdout());
    }

    private static String pid(String service) {
        return host.exec("systemctl", "show", "-p", "MainPID", "--value", service + ".service").stdout().strip();
    }

    private static String sh(String script) {
        ExecResult result = host.exec("sh", "-c", script);
        assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    private static int versions() {
        return Integer.parseInt(sh("ls -1 " + STATE + "/secrets | grep -vc '^key$' || true").strip());
    }

    /** Searches every place a value must not be: outputs, the state dir but STATE/secrets, units, the journal. */
    private static void assertNoValueLeaked() throws java.io.IOException {
        for (String value : VALUES) {
            for (CliRun run : RUNS) {
                assertThat(run.stdout() + run.stderr()).doesNotContain(value);
            }
            try (var files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".plan.json")).forEach(f ->
                        assertThat(read(f)).as("saved plan " + f).doesNotContain(value));
            }
            String where = "grep -rlF -e '" + value + "' " + STATE + " /etc/systemd /run/systemd/system"
                    + " 2>/dev/null | grep -v '^" + STATE + "/secrets/' || true";
            assertThat(sh(where)).as("files holding " + value).isEmpty();
            assertThat(sh("journalctl --no-pager -o cat | grep -cF -e '" + value + "' || true").strip())
                    .as("journal").isEqualTo("0");
            assertThat(sh("systemctl show reader.service bystander.service | grep -cF -e '" + value + "' || true")
                    .strip()).as("systemctl show").isEqualTo("0");
        }
    }

    @Test
    @Order(1)
    void aFailingCommandSourceStopsTheRunBeforeTheHostIsTouched() throws Exception {
        String before = sh("ls -la /var/lib /etc/systemd/system; ls -laR " + STATE + " 2>&1 || true");
        Files.writeString(inventory, Files.readString(inventory).replace("cat other.txt", "exit 7"));
        try {
            CliRun failing = deploy("apply");
            assertThat(failing.exitCode()).as(failing.stderr()).isEqualTo(3);
            assertThat(failing.stderr()).contains("inventory.yaml:", "vault.other", "status 7");
            assertThat(sh("ls -la /var/lib /etc/systemd/system; ls -laR " + STATE + " 2>&1 || true"))
                    .as("nothing on the host changed").isEqualTo(before);
        } finally {
            Files.writeString(inventory, Files.readString(inventory).replace("exit 7", "cat other.txt"));
        }
    }

    @Test
    @Order(2)
    void servicesReadTheirSecretsWhichChangeRollBackSurviveARebootAndNeverLeak() throws Exception {
        String apiOne = Files.readString(dir.resolve("api.key"));
        String certOne = Files.readString(dir.resolve("cert.pem"));
        // A host without a secret key yet: a saved plan cannot pin the values, and says so.
        CliRun unpinned = deploy("plan", "--out", dir.resolve("first.plan.json").toString());
        assertThat(unpinned.exitCode()).as(unpinned.stderr()).isZero();
        assertThat(unpinned.stderr()).contains("deb1: the host has no secret key yet, so the plan does not pin "
                + "secret values");
        CliRun first = deploy("apply", "--events", "ndjson");
        assertThat(first.exitCode()).as(first.stderr() + host.exec("journalctl", "--no-pager", "-n", "40",
                "-u", "reader.service").stdout()).isZero();
        JsonNode answer = served();
        assertThat(answer.get("uid").asInt()).as("runs as nobody").isEqualTo(65534);
        assertThat(answer.get("apiKey").asText()).isEqualTo(sha256(apiOne));
        assertThat(answer.get("cert").asText()).isEqualTo(sha256(certOne));
        // LoadCredential= is there (systemd made the directory); reading it as nobody fails in these containers,
        // whose /run lacks the ACL support systemd uses to hand the copy to the service's user.
        assertThat(answer.get("credentials").asText()).isEqualTo("/run/credentials/reader.service");

        // Modes and owners, as declared.
        assertThat(sh("stat -c '%U:%G %a' " + STATE + "/secrets " + STATE + "/secrets/key"))
                .isEqualTo("root:root 711\nroot:root 600\n");
        assertThat(sh("stat -L -c '%U:%G %a' " + STATE + "/current/secrets/vault.cert "
                + STATE + "/current/secrets/vault.apiKey"))
                .isEqualTo("nobody:nogroup 440\nroot:root 400\n");
        assertThat(host.exec("su", "-s", "/bin/sh", "nobody", "-c", "ls " + STATE + "/secrets").exitCode())
                .as("nobody cannot list the versions").isNotZero();
        assertThat(host.exec("su", "-s", "/bin/sh", "nobody", "-c", "cat " + STATE + "/current/secrets/vault.apiKey")
                .exitCode()).as("nobody cannot read an env secret").isNotZero();
        assertThat(versions()).isEqualTo(3);
        assertNoValueLeaked();

        // Only the service that uses a changed secret restarts, and only that secret is sent.
        String readerPid = pid("reader");
        String bystanderPid = pid("bystander");
        // A saved plan pins the values it was made with: one made before the change is refused, nothing changes.
        String stale = dir.resolve("stale.plan.json").toString();
        assertThat(deploy("plan", "--out", stale).exitCode()).isZero();
        write("other.txt", value("other-two"));
        CliRun refused = applyPlan(stale);
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
        assertThat(refused.stderr()).contains("deb1: check plan:",
                "the value of secret vault.other differs from the one planned");
        assertThat(versions()).isEqualTo(3);
        String saved = dir.resolve("saved.plan.json").toString();
        CliRun plan = deploy("plan", "--out", saved);
        assertThat(plan.stdout()).contains("~ secret vault.other (changed)", "~ restart bystander")
                .doesNotContain("restart reader").doesNotContain("secret vault.apiKey");
        assertThat(plan.stderr()).doesNotContain("does not pin");
        CliRun second = applyPlan(saved);
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(pid("bystander")).as("the saved plan restarted its service").isNotEqualTo(bystanderPid);
        assertThat(pid("reader")).isEqualTo(readerPid);
        assertThat(versions()).isEqualTo(4);

        String apiTwo = value("api-two");
        write("api.key", apiTwo);
        bystanderPid = pid("bystander");
        CliRun third = deploy("apply", "--json");
        assertThat(third.exitCode()).as(third.stdout() + third.stderr()).isZero();
        assertThat(served().get("apiKey").asText()).isEqualTo(sha256(apiTwo));
        assertThat(pid("reader")).isNotEqualTo(readerPid);
        assertThat(pid("bystander")).isEqualTo(bystanderPid);

        // Rollback restores the version the previous generation used.
        CliRun rollback = deploy("rollback");
        assertThat(rollback.exitCode()).as(rollback.stdout() + rollback.stderr()).isZero();
        assertThat(rollback.stdout()).contains("generation 3 -> 2 (restart reader)");
        assertThat(served().get("apiKey").asText()).isEqualTo(sha256(apiOne));

        // gc keeps the versions of kept generations (3, the newest, and 2, current) and deletes generation 1's.
        assertThat(versions()).isEqualTo(5);
        CliRun gc = deploy("gc", "--keep", "1");
        assertThat(gc.exitCode()).as(gc.stdout() + gc.stderr()).isZero();
        assertThat(gc.stdout()).contains(", 1 secret version\n");
        assertThat(versions()).isEqualTo(4);
        assertThat(deploy("plan", "--detailed-exitcode").exitCode()).as("current is 2, apply would make 3").isEqualTo(2);

        // A reboot: /run is empty again; the service starts with its secrets from the state directory.
        host.reboot();
        assertThat(host.exec("systemctl", "is-active", "reader.service").stdout().strip()).isEqualTo("active");
        answer = served();
        assertThat(answer.get("apiKey").asText()).isEqualTo(sha256(apiOne));
        assertThat(answer.get("cert").asText()).isEqualTo(sha256(certOne));
        assertNoValueLeaked();
    }

    @Test
    @Order(3)
    void secretsNeedRootSoAUserWithoutBecomeGetsThatErrorNotAPlanCallingEverySecretChanged() throws Exception {
        sh("id alice >/dev/null 2>&1 || useradd -m -s /bin/sh alice;"
                + " echo 'alice ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/alice;"
                + " install -d -o alice -m 700 ~alice/.ssh;"
                + " install -o alice -m 600 /testhost/authorized_keys ~alice/.ssh/authorized_keys");
        String asRoot = deploy("plan").stdout();
        Path alice = Files.writeString(dir.resolve("alice.yaml"), Files.readString(inventory)
                .replace("user: root", "user: alice"));
        CliRun plain = CliRun.against(alice, "plan");
        RUNS.add(plain);
        assertThat(plain.exitCode()).as(plain.stdout() + plain.stderr()).isEqualTo(1);
        assertThat(plain.stderr()).contains("deb1: secrets: cannot read " + STATE + "/secrets/key",
                "become: sudo");
        assertThat(plain.stdout()).doesNotContain("secret vault.");
        Path become = Files.writeString(dir.resolve("become.yaml"), Files.readString(alice)
                .replace("user: alice", "user: alice\n    become: sudo"));
        CliRun sudo = CliRun.against(become, "plan");
        RUNS.add(sudo);
        assertThat(sudo.exitCode()).as(sudo.stdout() + sudo.stderr()).isZero();
        assertThat(sudo.stdout().replace("alice@", "root@")).isEqualTo(asRoot);
        assertNoValueLeaked();
    }

    @Test
    @Order(4)
    void aSecretOwnerTheHostLacksIsRefusedByPlanAndApplyBeforeAnythingIsSentOrWritten() throws Exception {
        Path module = dir.resolve("modules/vault.yaml");
        String declared = Files.readString(module);
        write("cert.pem", value("cert-ghost"));
        String before = sh(LISTING);
        Files.writeString(module, declared.replace("owner: nobody, group: nogroup",
                "owner: ghost-user, group: nogroup"));
        try {
            CliRun plan = deploy("plan");
            assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isEqualTo(1);
            assertThat(plan.stderr()).contains("deb1: secrets: secret vault.cert: owner ghost-user does not exist "
                    + "on this host");
            CliRun apply = deploy("apply");
            assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(1);
            assertThat(apply.stderr()).contains("secret vault.cert: owner ghost-user does not exist");
            Files.writeString(module, declared.replace("group: nogroup", "group: ghost-group"));
            CliRun group = deploy("apply");
            assertThat(group.exitCode()).as(group.stdout() + group.stderr()).isEqualTo(1);
            assertThat(group.stderr()).contains("secret vault.cert: group ghost-group does not exist");
            assertThat(sh(LISTING)).as("nothing on the host changed")
                    .isEqualTo(before);
        } finally {
            Files.writeString(module, declared);
        }
        assertNoValueLeaked();
    }

    @Test
    @Order(5)
    void aSecretFileMadeReadableToOthersOrDeletedIsDriftThatApplyWritesAgainWithoutRestartingItsService()
            throws Exception {
        CliRun current = deploy("apply");
        assertThat(current.exitCode()).as(current.stdout() + current.stderr()).isZero();
        assertThat(deploy("status", "--detailed-exitcode").exitCode()).isZero();
        String readerPid = pid("reader");
        sh("chmod 0644 \"$(readlink " + STATE + "/current/secrets/vault.cert)\"; rm \"$(readlink " + STATE
                + "/current/secrets/vault.other)\"");

        CliRun status = deploy("status", "--detailed-exitcode");
        assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isEqualTo(2);
        assertThat(status.stdout()).contains("! secret vault.cert: nobody:nogroup 0644 (not as declared; apply writes "
                + "it again)", "! secret vault.other: missing", "'deploy apply' repairs them");
        CliRun plan = deploy("plan");
        assertThat(plan.stdout()).contains("~ secret vault.cert (repair: its file was nobody:nogroup 0644)",
                "~ secret vault.other (repair: its file was missing)").doesNotContain("~ restart");
        CliRun repair = deploy("apply");
        assertThat(repair.exitCode()).as(repair.stdout() + repair.stderr()).isZero();
        assertThat(sh("stat -L -c '%U:%G %a' " + STATE + "/current/secrets/vault.cert " + STATE
                + "/current/secrets/vault.other")).isEqualTo("nobody:nogroup 440\nroot:root 400\n");
        assertThat(pid("reader")).as("a mode repair restarts nothing").isEqualTo(readerPid);
        assertThat(deploy("status", "--detailed-exitcode").exitCode()).isZero();
        assertNoValueLeaked();
    }
}
