package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.source.SourceResolver;
import dev.deploy.store.Artifact;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostEvaluatorTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void site() throws Exception {
        Files.createDirectories(tmp.resolve("site"));
        Files.writeString(tmp.resolve("site/index.html"), "hello\n");
        module("web", """
                module: web
                options:
                  site: {type: source}
                  port: {type: int, default: 8080}
                  root: {type: string, default: "/srv/${port}"}
                files:
                  conf:
                    name: web.conf
                    text: "listen ${port}; root ${site}; from ${host.name}\\n"
                services:
                  web:
                    exec: /usr/bin/server --config ${files.conf}
                    environment: {ROOT: "${root}"}
                """);
    }

    private void module(String name, String yaml) throws Exception {
        Files.createDirectories(tmp.resolve("modules"));
        Files.writeString(tmp.resolve("modules/" + name + ".yaml"), yaml);
    }

    private Inventory inventory(String yaml) throws Exception {
        return InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), yaml));
    }

    private EvaluatedHost evaluate(String inventoryYaml) throws Exception {
        Inventory inventory = inventory(inventoryYaml);
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"))) {
            return new HostEvaluator(new ModuleLibrary(List.of(tmp.resolve("modules"))), sources)
                    .evaluate(inventory, inventory.hosts().get(0));
        }
    }

    private String errorOf(String inventoryYaml) throws Exception {
        try {
            evaluate(inventoryYaml);
        } catch (DeployException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage().replace(tmp.toString() + "/", "");
        }
        throw new AssertionError("expected an input error");
    }

    private static String text(Artifact artifact, String path) throws Exception {
        var entry = artifact.tree().entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
        try (InputStream in = artifact.contents().open(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final String HOST = """
            hosts:
              h1:
                local: {root: state}
                modules: [web]
                options:
                  web.site: path:site
            """;

    @Test
    void templatesSeeOptionsSourcesFilesAndTheHost() throws Exception {
        EvaluatedHost host = evaluate(HOST);
        Artifact site = host.roots().get("source/web.site");
        Artifact conf = host.roots().get("file/web.conf");
        String current = tmp.resolve("state").toString() + "/current";
        assertThat(site.tree().fileCount()).isEqualTo(1);
        assertThat(text(conf, "web.conf"))
                .isEqualTo("listen 8080; root " + current + "/roots/source/web.site; from h1\n");
        String unit = text(host.roots().get("unit/web"), "web.service");
        assertThat(unit).contains("ExecStart=/usr/bin/server --config " + current + "/roots/file/web.conf/web.conf\n");
        assertThat(unit).contains("Environment=\"ROOT=/srv/8080\"\n");
        assertThat(host.services()).extracting(ServiceSpec::name).containsExactly("web");
        // The service uses the config file directly and the site through it.
        assertThat(host.services().get(0).inputs()).containsExactly("file/web.conf", "source/web.site");
    }

    @Test
    void aVenvRendersAsItsRootAndIsAnInputOfTheServiceThatUsesIt() throws Exception {
        Files.createDirectories(tmp.resolve("app"));
        Files.writeString(tmp.resolve("app/pyproject.toml"), "[project]\nname = \"app\"\n");
        module("py", """
                module: py
                options:
                  source: {type: source}
                  interpreter: {type: string, default: /usr/bin/python3}
                venvs:
                  app:
                    project: ${source}
                    package: lnbits
                    extras: [postgres, "${interpreter}"]
                    python: ${interpreter}
                    wheelhouse: ${sources.wheels}
                sources:
                  wheels: path:../site
                services:
                  py:
                    exec: ${venvs.app}/bin/lnbits --port 5000
                    environment: {PYTHONPATH: "${source}"}
                """);
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [py]
                    options:
                      py.source: path:app
                """);
        String current = tmp.resolve("state").toString() + "/current";
        assertThat(text(host.roots().get("unit/py"), "py.service"))
                .contains("ExecStart=" + current + "/roots/venv/py.app/bin/lnbits --port 5000\n");
        assertThat(host.services().get(0).inputs()).containsExactly("source/py.source", "venv/py.app");
        assertThat(host.venvs()).containsOnlyKeys("venv/py.app");
        var request = host.venvs().get("venv/py.app");
        assertThat(request.project()).isSameAs(host.roots().get("source/py.source"));
        assertThat(request.packageName()).contains("lnbits");
        assertThat(request.extraNames()).containsExactly("postgres", "/usr/bin/python3");
        assertThat(request.python()).isEqualTo("/usr/bin/python3");
        assertThat(request.wheelhouse()).containsSame(host.roots().get("source/py.wheels"));
        assertThat(host.roots()).doesNotContainKey("venv/py.app");
    }

    @Test
    void aVenvProjectMustReferenceASource() throws Exception {
        module("py", """
                module: py
                options:
                  port: {type: int, default: 1}
                venvs:
                  app: {project: "${port}"}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [py]
                """)).isEqualTo("modules/py.yaml:5:18: venvs.app.project: project: '${port}' is not a source option "
                + "or source of module py");
    }

    @Test
    void evaluationIsDeterministic() throws Exception {
        String first = DesiredGeneration.of(evaluate(HOST)).manifest().toJson();
        String second = DesiredGeneration.of(evaluate(HOST)).manifest().toJson();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aChangedSourceFileChangesOnlyItsOwnStorePath() throws Exception {
        EvaluatedHost before = evaluate(HOST);
        Files.writeString(tmp.resolve("site/index.html"), "hello again\n");
        EvaluatedHost after = evaluate(HOST);
        assertThat(after.roots().get("source/web.site").storePath())
                .isNotEqualTo(before.roots().get("source/web.site").storePath());
        assertThat(after.roots().get("file/web.conf").storePath())
                .isEqualTo(before.roots().get("file/web.conf").storePath());
        assertThat(after.services().get(0).unit()).isEqualTo(before.services().get(0).unit());
    }

    @Test
    void unknownOptionInTheInventoryIsAnErrorThatSuggestsTheNearestAndListsTheKnownOnes() throws Exception {
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [web]
                    options:
                      web.site: path:site
                      web.prot: 80
                """)).isEqualTo("inventory.yaml:7:17: hosts.h1.options.web.prot: unknown option 'web.prot'; "
                + "did you mean 'port'? (module web has: port, root, site)");
    }

    @Test
    void optionsOfModulesTheHostDoesNotUseAreErrors() throws Exception {
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [web]
                    options: {web.site: "path:site", db.port: 1}
                """)).isEqualTo("inventory.yaml:5:47: hosts.h1.options.db.port: host h1 does not use module 'db' (its modules: web)");
        assertThat(errorOf("hosts:\n  h1:\n    local: {root: state}\n    modules: [web]\n"
                + "    options: {web.site: \"path:site\", wbe.port: 2}\n"))
                .contains("does not use module 'wbe'; did you mean 'web'? (its modules: web)");
    }

    @Test
    void wrongOptionTypeNamesTheInventoryLine() throws Exception {
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [web]
                    options:
                      web.site: path:site
                      web.port: eighty
                """)).isEqualTo("inventory.yaml:7:17: hosts.h1.options.web.port: expected an integer, got \"eighty\"");
    }

    @Test
    void missingRequiredOptionIsAnError() throws Exception {
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [web]
                """)).startsWith("modules/web.yaml:3:3: h1: options.site: option web.site has no default and is not set");
    }

    @Test
    void unknownModuleIsAnErrorSuggestingTheNearestModuleOnTheSearchPath() throws Exception {
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [wbe]
                """)).startsWith("inventory.yaml:4:15: unknown module 'wbe'; did you mean 'web'? (looked for wbe.yaml in ");
    }

    @Test
    void importCyclesAreErrorsThatShowTheCycle() throws Exception {
        module("a", "module: a\nimports: [b]\n");
        module("b", "module: b\nimports: [c]\n");
        module("c", "module: c\nimports: [a]\n");
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [a]
                """)).isEqualTo("modules/c.yaml:2:11: import cycle: a -> b -> c -> a");
    }

    @Test
    void referenceCyclesAreErrorsThatShowTheCycle() throws Exception {
        module("loop", """
                module: loop
                options:
                  x: {type: string, default: "${y}"}
                  y: {type: string, default: "${x}"}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [loop]
                """)).isEqualTo("modules/loop.yaml:4:30: reference cycle: option loop.x -> option loop.y -> option loop.x");
    }

    @Test
    void unknownReferenceIsAnErrorSuggestingTheNearestNameWhenOneIsNear() throws Exception {
        module("bad", """
                module: bad
                services:
                  bad:
                    exec: /bin/run ${nope}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [bad]
                """)).isEqualTo("modules/bad.yaml:4:11: services.bad.exec: unknown reference '${nope}' "
                + "(not an option of module bad on host h1)");
        assertThat(errorOf("hosts:\n  h1:\n    local: {root: state}\n    modules: [web]\n"
                + "    options: {web.site: \"path:site\", web.root: \"${host.nmae}\"}\n"))
                .contains("unknown reference '${host.nmae}'; did you mean 'host.name'? (host has: ");
        module("typo", "module: typo\noptions:\n  port: {type: int, default: 1}\n"
                + "services:\n  typo:\n    exec: /bin/run ${prot}\n");
        assertThat(errorOf("hosts:\n  h1:\n    local: {root: state}\n    modules: [typo]\n"))
                .contains("unknown reference '${prot}'; did you mean 'port'? (not an option of module typo");
    }

    @Test
    void unknownModuleFieldIsAnErrorSuggestingTheNearestField() throws Exception {
        module("odd", "module: odd\nservice: {}\n");
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [odd]
                """)).startsWith("modules/odd.yaml:2:1: service: unknown field 'service'; did you mean 'services'? (expected one of: ");
    }

    @Test
    void anImporterSetsOptionsOfTheModulesItImports() throws Exception {
        module("app", """
                module: app
                imports: [web]
                options:
                  port: {type: int, default: 5000}
                set:
                  web.port: ${port}
                  web.site: path:../site
                """);
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [app]
                    options: {app.port: 6000}
                """);
        assertThat(text(host.roots().get("file/web.conf"), "web.conf")).startsWith("listen 6000;");
    }

    @Test
    void serviceEnvironmentMergesLiteralEntriesAndMapOptionsInOrder() throws Exception {
        module("env", """
                module: env
                options:
                  site: {type: source}
                  environment: {type: map, default: {}}
                  extra: {type: map, default: {}}
                services:
                  env:
                    exec: /usr/bin/env
                    environment:
                      - {SITE: "${site}", MODE: base}
                      - ${environment}
                      - ${extra}
                """);
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [env]
                    options:
                      env.site: path:site
                      env.environment: {MODE: "from ${host.name}", DATA: /var/lib/env}
                      env.extra: {DATA: /srv/env}
                """);
        String unit = text(host.roots().get("unit/env"), "env.service");
        String current = tmp.resolve("state").toString() + "/current";
        assertThat(unit).contains("Environment=\"DATA=/srv/env\"\n", "Environment=\"MODE=from h1\"\n",
                "Environment=\"SITE=" + current + "/roots/source/env.site\"\n");
        assertThat(host.services().get(0).inputs()).containsExactly("source/env.site");
    }

    @Test
    void environmentNamingAnOptionThatIsNotAMapIsAnError() throws Exception {
        module("env", """
                module: env
                options:
                  port: {type: int, default: 1}
                services:
                  env:
                    exec: /usr/bin/env
                    environment: ${port}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [env]
                """)).isEqualTo("modules/env.yaml:7:18: services.env.environment: '${port}' is not a map option of module env "
                + "on host h1");
    }

    @Test
    void aMapOptionWithAnInvalidVariableNameIsAnError() throws Exception {
        module("env", """
                module: env
                options:
                  environment: {type: map, default: {}}
                services:
                  env:
                    exec: /usr/bin/env
                    environment:
                      - ${environment}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [env]
                    options: {env.environment: {"BAD-NAME": x}}
                """)).isEqualTo("inventory.yaml:5:33: hosts.h1.options.env.environment.BAD-NAME: invalid environment "
                + "variable name 'BAD-NAME' (option env.environment is the environment of service env)");
    }

    @Test
    void anImporterPassesItsSourceOptionOnAsTheSameStorePath() throws Exception {
        module("app", """
                module: app
                imports: [web]
                options:
                  code: {type: source}
                set:
                  web.site: ${code}
                """);
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [app]
                    options: {app.code: "path:site"}
                """);
        assertThat(host.roots().get("source/web.site").storePath())
                .isEqualTo(host.roots().get("source/app.code").storePath());
        assertThat(text(host.roots().get("file/web.conf"), "web.conf"))
                .contains("root " + tmp.resolve("state") + "/current/roots/source/web.site;");
    }

    @Test
    void aSourceSetToAnOptionThatIsNotASourceIsAnError() throws Exception {
        module("app", """
                module: app
                imports: [web]
                options:
                  name: {type: string, default: x}
                set:
                  web.site: ${name}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [app]
                """)).isEqualTo("modules/app.yaml:6:13: set.web.site: '${name}' is not a source option of module app on host h1 "
                + "(a source is path:DIR, git:URL#REF or ${a-source-option})");
    }

    @Test
    void aVenvInterpreterWithALineBreakIsRefusedNamingTheInventoryLine() throws Exception {
        Files.createDirectories(tmp.resolve("app"));
        module("py", """
                module: py
                options:
                  source: {type: source}
                  interpreter: {type: string, default: /usr/bin/python3}
                venvs:
                  app: {project: "${source}", python: "${interpreter}"}
                """);
        assertThat(errorOf("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [py]
                    options: {py.source: "path:app", py.interpreter: "/usr/bin/python3\\ninclude-system-site-packages = true"}
                """)).isEqualTo("modules/py.yaml:6:39: h1: venvs.app.python: python must be a path or a command name, "
                + "without control characters (found U+000A (line feed)); the value comes from inventory.yaml:5:54 "
                + "(hosts.h1.options.py.interpreter)");
    }
}
