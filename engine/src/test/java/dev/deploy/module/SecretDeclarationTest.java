package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets declared by modules and given by inventories: what evaluation accepts, refuses and puts in units. */
class SecretDeclarationTest {

    @TempDir
    Path dir;

    private ModuleFixture fixture;

    @BeforeEach
    void files() throws Exception {
        fixture = new ModuleFixture(dir);
        Files.writeString(dir.resolve("one-line"), "value-in-file\n");
        Files.writeString(dir.resolve("two-lines"), "first-line\nsecond-line\n");
    }

    private ModuleFixture app(String secrets, String service) throws Exception {
        return fixture.module("app", """
                module: app
                options:
                  owner: {type: string, default: www-data}
                secrets:
                %s
                services:
                  web:
                    exec: /bin/true
                %s
                """.formatted(secrets.indent(2).stripTrailing(), service.indent(4).stripTrailing()));
    }

    private static String inventory(String secrets) {
        return """
                hosts:
                  h1:
                    local: {root: state}
                    modules: [app]
                    secrets:
                """ + secrets.indent(6);
    }

    @Test
    void aFileSecretHasItsDeclaredOwnerGroupModeAndPathAndAnEnvSecretIsOneEnvironmentFileLine() throws Exception {
        app("""
                key: {as: env APP_KEY}
                cert: {as: file, owner: "${owner}", group: ssl-cert, mode: "0440"}
                """, """
                secrets: [key]
                environment: {CERT: "${secrets.cert}"}
                """);
        EvaluatedHost host = fixture.evaluate(inventory("app.key: {file: one-line}\napp.cert: {file: two-lines}\n"));
        Secret cert = host.secrets().get("secret/app.cert");
        assertThat(cert.owner()).isEqualTo("www-data");
        assertThat(cert.group()).isEqualTo("ssl-cert");
        assertThat(cert.mode()).isEqualTo(0440);
        assertThat(new String(cert.content(), StandardCharsets.UTF_8)).isEqualTo("first-line\nsecond-line\n");
        Secret key = host.secrets().get("secret/app.key");
        assertThat(key.owner()).isEqualTo("root");
        assertThat(key.mode()).isEqualTo(0400);
        assertThat(new String(key.content(), StandardCharsets.UTF_8)).isEqualTo("APP_KEY=\"value-in-file\"\n");
        String unit = ModuleFixture.unit(host, "web");
        String state = dir.resolve("state").toString();
        assertThat(unit).contains("EnvironmentFile=" + state + "/current/secrets/app.key\n",
                "Environment=\"CERT=" + state + "/current/secrets/app.cert\"\n")
                .doesNotContain("value-in-file").doesNotContain("first-line");
        assertThat(host.services().get(0).inputs()).contains("secret/app.key", "secret/app.cert");
    }

    @Test
    void aRequiredSecretWithoutSourceAnUndeclaredOneAndAnEnvSecretUsedAsAPathAreInputErrors() throws Exception {
        app("key: {as: env APP_KEY}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("{}\n"))).contains("modules/app.yaml:", "secret app.key has no source"
                + " on host h1", "{command:");
        assertThat(fixture.errorOf(inventory("app.key: {file: one-line}\napp.nope: {file: one-line}\n")))
                .contains("inventory.yaml:", "no module of host h1 declares secret app.nope");
        app("key: {as: env APP_KEY}\n", "environment: {K: \"${secrets.key}\"}\n");
        assertThat(fixture.errorOf(inventory("app.key: {file: one-line}\n"))).contains("is an env secret (APP_KEY)",
                "list it under the service's secrets:");
        app("key: {as: env APP_KEY}\n", "secrets: [nope]\n");
        assertThat(fixture.errorOf(inventory("app.key: {file: one-line}\n"))).contains("unknown secret app.nope");
    }

    @Test
    void anEnvSecretWithALineBreakIsRefusedWithoutShowingIt() throws Exception {
        app("key: {as: env APP_KEY}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("app.key: {file: two-lines}\n")))
                .contains("inventory.yaml:", "line break", "as: file").doesNotContain("first-line");
        Files.write(dir.resolve("latin1"), new byte[] {'p', 'a', (byte) 0xe9, 's'});
        assertThat(fixture.errorOf(inventory("app.key: {file: latin1}\n"))).contains("must be UTF-8 text");
    }

    @Test
    void anOptionalSecretWithoutSourceIsLeftOut() throws Exception {
        app("key: {as: env APP_KEY, optional: true}\n", "secrets: [key]\n");
        EvaluatedHost host = fixture.evaluate(inventory("{}\n"));
        assertThat(host.secrets()).isEmpty();
        assertThat(ModuleFixture.unit(host, "web")).doesNotContain("EnvironmentFile");
    }

    @Test
    void declarationsAreChecked() throws Exception {
        app("key: {as: env 'NOT A NAME'}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("{}\n"))).contains("modules/app.yaml:");
        app("key: {as: file, mode: '0644'}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("{}\n"))).contains("never for others");
        app("key: {as: env K, owner: www-data}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("{}\n"))).contains("owner, group and mode apply to 'as: file'");
        app("key: {as: file, owner: 'a b'}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("app.key: {file: one-line}\n")))
                .contains("must be a user or group name");
        app("key: {as: secret}\n", "secrets: [key]\n");
        assertThat(fixture.errorOf(inventory("{}\n"))).contains("expected 'env VARIABLE' or 'file'");
    }

    @Test
    void aSourceFileOthersMayNotReadInADirectoryTheyMayIsRefusedAsAProbableSecret() throws Exception {
        fixture.module("site", """
                module: site
                sources:
                  www: {path: ../www}
                services:
                  web:
                    exec: /bin/ls ${sources.www}
                """);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.setPosixFilePermissions(www, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        Path secret = Files.writeString(www.resolve("secret.env"), "DB_PASSWORD=hunter2\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String inventory = """
                hosts:
                  h1:
                    local: {root: state}
                    modules: [site]
                """;
        assertThat(fixture.errorOf(inventory)).contains("'secret.env' is not readable by others (mode 0600)",
                "world-readable", "README 'Secrets'").doesNotContain("hunter2");

        // A tree made under umask 077 (its directories closed too) is deployed as it is.
        Files.setPosixFilePermissions(www, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(fixture.evaluate(inventory).roots()).containsKey("source/site.www");
    }

    @Test
    void aSecretWhoseValueIsAFileOfASourceTheHostGetsIsRefusedBecauseTheStoreIsWorldReadable() throws Exception {
        app("key: {as: env APP_KEY}\ncert: {as: file}\n", """
                secrets: [key, cert]
                workingDirectory: ${sources.site}
                """);
        String module = Files.readString(dir.resolve("modules/app.yaml"));
        Files.writeString(dir.resolve("modules/app.yaml"), module.replace("secrets:\n", "sources:\n  site: {path: ../site}\nsecrets:\n"));
        // The whole tree closed (umask 077), so the mode check lets it through: the value must not.
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "hello\n");
        Files.writeString(site.resolve("api.key"), "value-in-site\n");
        Files.setPosixFilePermissions(site, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String given = "app.key: {file: site/api.key}\napp.cert: {file: two-lines}\n";
        assertThat(fixture.errorOf(inventory(given))).contains("inventory.yaml:", "h1", "secrets.app.key",
                "the value of secret app.key is also the content of api.key in source/app.site",
                "world-readable").doesNotContain("value-in-site");

        // A copy of the value elsewhere in the tree (the env secret's value without its line break) as well.
        Files.writeString(dir.resolve("copy.key"), "value-in-site");
        given = "app.key: {command: \"cat copy.key\"}\napp.cert: {file: two-lines}\n";
        assertThat(fixture.errorOf(inventory(given))).contains("secrets.app.key.command",
                "is also the content of api.key in source/app.site");

        Files.delete(site.resolve("api.key"));
        assertThat(fixture.evaluate(inventory(given)).roots()).containsKey("source/app.site");
    }

    @Test
    void aSecretValueAlsoWrittenLiterallyIntoAUnitOrRenderedFileIsRefused() throws Exception {
        app("key: {as: env APP_KEY}\n", """
                secrets: [key]
                environment: {DB_URL: "postgres://app:${owner}@db/app"}
                """);
        String inventory = """
                hosts:
                  h1:
                    local: {root: state}
                    modules: [app]
                    options: {app.owner: value-in-file}
                    secrets: {app.key: {file: one-line}}
                """;
        assertThat(fixture.errorOf(inventory)).contains("inventory.yaml:", "secrets.app.key",
                "the value of secret app.key is written in unit/web", "world-readable")
                .doesNotContain("value-in-file");
        // Short values are not searched for (they would match by chance).
        Files.writeString(dir.resolve("one-line"), "app\n");
        assertThat(fixture.evaluate(inventory).secrets()).containsKey("secret/app.key");
    }
}
