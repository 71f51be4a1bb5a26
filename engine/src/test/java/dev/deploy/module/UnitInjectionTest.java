package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit-file injection: an inventory value with CR or NUL (systemd ends a line at either) used in any
 * unit setting is an input error naming the module field, the host and the inventory line that set it, instead of
 * a unit with an extra directive.
 */
class UnitInjectionTest {

    @TempDir
    Path tmp;

    private ModuleFixture fixture;

    @BeforeEach
    void module() throws Exception {
        fixture = new ModuleFixture(tmp).module("m", """
                module: m
                options:
                  v: {type: string, default: ok}
                  env: {type: map, default: {}}
                services:
                  m:
                    exec: /usr/bin/app
                    description: App ${v}
                    user: ${v}
                    workingDirectory: /srv/${v}
                    stateDirectory: app/${v}
                    environment:
                      - {APP: "${v}"}
                      - ${env}
                """);
    }

    @Test
    void aCarriageReturnNulOrLineFeedFromTheInventoryIsRefused() throws Exception {
        for (String injected : List.of("root\\rInjectedKey=1", "root\\0InjectedKey=1", "root\\nInjectedKey=1")) {
            assertThat(fixture.errorOf(ModuleFixture.host("m", "m.v: \"" + injected + "\""))).as(injected)
                    .matches("modules/m\\.yaml:8:18: h1: services\\.m\\.description: control character "
                            + "U\\+00(0D|00|0A) \\((carriage return|NUL|line feed)\\) in a unit setting; the value "
                            + "comes from inventory\\.yaml:6:12 \\(hosts\\.h1\\.options\\.m\\.v\\)");
        }
    }

    @Test
    void everySettingRefusesItAndNamesItsOwnField() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("description", "description: App ${v}");
        settings.put("user", "user: ${v}");
        settings.put("workingDirectory", "workingDirectory: /srv/${v}");
        settings.put("stateDirectory", "stateDirectory: app/${v}");
        settings.put("environment.APP", "environment: {APP: \"${v}\"}");
        settings.put("exec", "exec: /usr/bin/app ${v}");
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String service = setting.getKey().equals("exec") ? "" : "    exec: /usr/bin/app\n";
            fixture.module("one", "module: one\noptions:\n  v: {type: string}\nservices:\n  one:\n" + service
                    + "    " + setting.getValue() + "\n");
            assertThat(fixture.errorOf(ModuleFixture.host("one", "one.v: \"root\\rInjectedKey=1\"")))
                    .as(setting.getKey())
                    .startsWith("modules/one.yaml:")
                    .contains(": h1: services.one." + setting.getKey() + ": control character U+000D (carriage "
                            + "return) in a ")
                    .endsWith("; the value comes from inventory.yaml:6:14 (hosts.h1.options.one.v)");
        }
    }

    @Test
    void aMapOptionsValueIsRefusedNamingItsInventoryEntry() throws Exception {
        String error = fixture.errorOf(ModuleFixture.host("m", "m.env: {OTHER: \"a\\rInjectedKey=1\"}"));
        assertThat(error).isEqualTo("modules/m.yaml:14:9: h1: services.m.environment[1]: control character U+000D "
                + "(carriage return) in a unit setting; the value comes from inventory.yaml:6:22 "
                + "(hosts.h1.options.m.env.OTHER)");
    }

    @Test
    void aValueWithSpecifiersQuotesAndBackslashesIsWrittenAsData() throws Exception {
        fixture.module("m", """
                module: m
                options:
                  v: {type: string, default: ok}
                  env: {type: map, default: {}}
                services:
                  m:
                    exec: /usr/bin/app
                    description: App ${v}
                    environment:
                      - {APP: "${v}"}
                      - ${env}
                """);
        EvaluatedHost host = fixture.evaluate(ModuleFixture.host("m", "m.v: 'a%n\"b\\c'",
                "m.env: {OTHER: 'x \"y\" $Z %i'}"));
        String unit = ModuleFixture.unit(host, "m");
        assertThat(unit).contains("Description=App a%%n\"b\\c\n")
                .contains("Environment=\"APP=a%%n\\\"b\\\\c\"\n")
                .contains("Environment=\"OTHER=x \\\"y\\\" $Z %%i\"\n");
    }

    @Test
    void aStateDirectoryThatWouldHandDeploysOwnStateToTheServiceUserIsRefused() throws Exception {
        // The bundled python-uv-app module takes its stateDirectory from an option: systemd chowns that directory,
        // recursively, to the service's user, so "deploy" would give it the store, generations and current link.
        fixture.module("app", """
                module: app
                options:
                  stateDirectory: {type: string, default: app}
                services:
                  app:
                    exec: /usr/bin/app
                    user: nobody
                    stateDirectory: ${stateDirectory}
                """);
        String inventory = "hosts:\n  web1:\n    address: 192.0.2.1\n    modules: [app]\n    options:\n"
                + "      app.stateDirectory: %s\n";
        for (String dir : List.of("deploy", "deploy/store")) {
            assertThat(fixture.errorOf(inventory.formatted(dir))).as(dir)
                    .isEqualTo("modules/app.yaml:8:21: web1: services.app.stateDirectory: /var/lib/" + dir
                            + " would hold or be inside deploy's state directory /var/lib/deploy (systemd gives a "
                            + "StateDirectory= and everything in it to the service's user); the value comes from "
                            + "inventory.yaml:6:27 (hosts.web1.options.app.stateDirectory)");
        }
        assertThat(ModuleFixture.unit(fixture.evaluate(inventory.formatted("deploy-app")), "app"))
                .contains("\nStateDirectory=deploy-app\n");
    }
}
