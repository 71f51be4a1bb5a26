package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the real CLI on a local target: values read on the controller, kept only in STATE/secrets with
 * their modes, named by keyed hash, changed and restarted only where used, rolled back and collected with their
 * generation, and never printed (the redaction guard: every output of plan, apply, --json and --events ndjson, and
 * every file of the state directory outside STATE/secrets, is searched for each value).
 */
class SecretsEndToEndTest {

    private static final String TOKEN_ONE = "TOKEN-VALUE-one-7f3a9c";
    private static final String TOKEN_TWO = "TOKEN-VALUE-two-91bd2e";
    private static final String CERT_ONE = "-----CERT one 5d1e-----\nline two\n";
    private static final String CERT_TWO = "-----CERT two 0c7b-----\n";
    private static final List<String> VALUES = List.of(TOKEN_ONE, TOKEN_TWO, "CERT one 5d1e", "CERT two 0c7b");

    @TempDir
    Path project;

    private Path inventory;
    private Path state;
    private final List<CliRun> runs = new ArrayList<>();

    @BeforeEach
    void writeProject() throws Exception {
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/app.yaml"), """
                module: app
                options:
                  owner: {type: string}
                  group: {type: string}
                secrets:
                  token: {as: env APP_TOKEN, description: An API token.}
                  cert: {as: file, owner: "${owner}", group: "${group}", mode: "0440"}
                files:
                  conf: {name: app.conf, text: "cert=${secrets.cert}\\n"}
                services:
                  app:
                    exec: /bin/cat ${secrets.cert}
                    environment: {CONF: "${files.conf}"}
                    secrets: [token, cert]
                  other:
                    exec: /bin/true
                    secrets: [token]
                """);
        Files.writeString(project.resolve("token.txt"), TOKEN_ONE + "\n");
        Files.writeString(project.resolve("cert.pem"), CERT_ONE);
        String group = new String(new ProcessBuilder("id", "-gn").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip();
        inventory = Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [app]
                    options:
                      app.owner: %s
                      app.group: %s
                    secrets:
                      app.token: {command: "cat '%s'"}
                      app.cert: {file: cert.pem}
                """.formatted(System.getProperty("user.name"), group, project.resolve("token.txt")));
        state = project.resolve("state");
    }

    private CliRun deploy(String... args) {
        CliRun run = CliRun.against(inventory, args);
        runs.add(run);
        return run;
    }

    private List<String> versions() throws Exception {
        try (Stream<Path> list = Files.list(state.resolve("secrets"))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals("key")).sorted().toList();
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** Every file under the state directory except STATE/secrets, and every output, holds no value. */
    private void assertNoValueOutsideTheSecretsDirectory() throws Exception {
        for (CliRun run : runs) {
            for (String value : VALUES) {
                assertThat(run.stdout()).doesNotContain(value);
                assertThat(run.stderr()).doesNotContain(value);
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(state)) {
            files = walk.filter(p -> !p.startsWith(state.resolve("secrets")))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String value : VALUES) {
                assertThat(text).as(file.toString()).doesNotContain(value);
            }
        }
    }

    @Test
    void secretsAreKeptApartChangedWhereUsedRolledBackCollectedAndNeverPrinted() throws Exception {
        CliRun first = deploy("apply", "--events", "ndjson");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("\"secret\":\"app.token\"", "\"change\":\"add\"");

        Path secrets = state.resolve("secrets");
        assertThat(mode(secrets)).isEqualTo("rwx--x--x");
        assertThat(mode(secrets.resolve("key"))).isEqualTo("rw-------");
        assertThat(Files.readString(secrets.resolve("key"))).matches("[0-9a-f]{64}\n");
        assertThat(versions()).hasSize(2).allMatch(name -> name.matches("[0-9a-f]{32}-app\\.(token|cert)"));
        Path token = state.resolve("current/secrets/app.token");
        Path cert = state.resolve("current/secrets/app.cert");
        assertThat(Files.readString(token)).isEqualTo("APP_TOKEN=\"" + TOKEN_ONE + "\"\n");
        assertThat(mode(token.toRealPath())).isEqualTo("r--------");
        assertThat(Files.readString(cert)).isEqualTo(CERT_ONE);
        assertThat(mode(cert.toRealPath())).isEqualTo("r--r-----");
        PosixFileAttributes owner = Files.readAttributes(cert.toRealPath(), PosixFileAttributes.class);
        assertThat(owner.owner().getName()).isEqualTo(System.getProperty("user.name"));
        assertThat(token.toRealPath().getParent()).isEqualTo(secrets.toRealPath());
        String unit = Files.readString(state.resolve("current/units/app.service"));
        assertThat(unit).contains("EnvironmentFile=" + state + "/current/secrets/app.token\n",
                "LoadCredential=cert:" + state + "/current/secrets/app.cert\n",
                "ExecStart=/bin/cat " + state + "/current/secrets/app.cert\n");

        CliRun unchanged = deploy("plan", "--detailed-exitcode");
        assertThat(unchanged.exitCode()).as(unchanged.stdout()).isZero();

        Files.writeString(project.resolve("cert.pem"), CERT_TWO);
        CliRun plan = deploy("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.stdout()).contains("~ secret app.cert (changed)", "~ service app", "(changed: secret/app.cert)")
                .doesNotContain("service other").doesNotContain("restart other").doesNotContain("secret app.token");
        CliRun json = deploy("plan", "--json");
        JsonNode host = new ObjectMapper().readTree(json.stdout()).get("hosts").get(0);
        assertThat(host.get("secrets").toString())
                .isEqualTo("[{\"secret\":\"app.cert\",\"change\":\"change\",\"was\":null}]");
        assertThat(host.get("services").toString()).contains("\"app\"").doesNotContain("\"other\"");
        String oldCert = cert.toRealPath().getFileName().toString();

        CliRun second = deploy("apply", "--json");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(Files.readString(cert)).isEqualTo(CERT_TWO);
        assertThat(versions()).hasSize(3).contains(oldCert);

        Files.writeString(project.resolve("token.txt"), TOKEN_TWO + "\n");
        CliRun third = deploy("apply");
        assertThat(third.exitCode()).as(third.stderr()).isZero();
        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).contains("~secret/app.cert", "~service app", "~secret/app.token");
        assertThat(third.stdout() + generations.stdout()).doesNotContain(TOKEN_TWO);
        assertThat(Files.readString(token)).isEqualTo("APP_TOKEN=\"" + TOKEN_TWO + "\"\n");

        CliRun rollback = deploy("rollback", "--to", "1");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(Files.readString(cert)).isEqualTo(CERT_ONE);
        assertThat(Files.readString(token)).isEqualTo("APP_TOKEN=\"" + TOKEN_ONE + "\"\n");
        assertThat(deploy("rollback", "--to", "3").exitCode()).isZero();

        CliRun gc = deploy("gc", "--keep", "1");
        assertThat(gc.exitCode()).as(gc.stderr()).isZero();
        assertThat(gc.stdout()).contains("2 secret versions");
        assertThat(versions()).hasSize(2).doesNotContain(oldCert);
        assertThat(Files.readString(cert)).isEqualTo(CERT_TWO);
        assertThat(Files.readString(token)).isEqualTo("APP_TOKEN=\"" + TOKEN_TWO + "\"\n");
        assertThat(deploy("plan", "--detailed-exitcode").exitCode()).as("gc kept what current uses").isZero();

        assertNoValueOutsideTheSecretsDirectory();
    }

    @Test
    void aFailingCommandOrALiteralValueStopsTheRunBeforeTheHostIsTouched() throws Exception {
        Files.writeString(inventory, Files.readString(inventory).replace("cat '", "touch ran; echo partial-"
                + TOKEN_ONE + "; false '"));
        CliRun failing = deploy("apply");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.stderr()).contains("inventory.yaml:", "app.token", "status 1");
        assertThat(state).doesNotExist();
        assertThat(project.resolve("ran")).as("the command ran in the inventory's directory").exists();

        // deploy lock deploys nothing: it reads no secret, so an unavailable password manager does not stop it.
        Files.delete(project.resolve("ran"));
        CliRun lock = deploy("lock");
        assertThat(lock.exitCode()).as(lock.stderr()).isZero();
        assertThat(project.resolve("ran")).doesNotExist();

        Files.writeString(inventory, Files.readString(inventory).replaceAll("app.token: \\{command: .*}",
                "app.token: " + TOKEN_ONE));
        CliRun literal = deploy("plan");
        assertThat(literal.exitCode()).isEqualTo(3);
        assertThat(literal.stderr()).contains("inventory.yaml:9:18: hosts.box.secrets.app.token:", "never written in YAML", "{file: PATH}");
        assertThat(state).doesNotExist();
        for (CliRun run : runs) {
            assertThat(run.stdout() + run.stderr()).doesNotContain(TOKEN_ONE);
        }
    }
}
