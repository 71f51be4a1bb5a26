package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans a reviewer can approve, through the real CLI on a local target: what changes inside a source, a rendered file
 * and a unit; counts that match the listing; saved plans applied exactly, and refused when the host or the local
 * inputs changed since.
 */
class PlanDiffEndToEndTest {

    @TempDir
    Path project;

    private Path inventory;
    private Path state;

    @BeforeEach
    void writeProject() throws Exception {
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  port: {type: int, default: 8080}
                files:
                  conf:
                    name: site.conf
                    text: "port=${port}\\nroot=${content}\\n"
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server ${port} --directory ${content}
                    environment: {CONF: "${files.conf}"}
                """);
        for (int i = 0; i < 500; i++) {
            Path page = project.resolve("www/pages/" + (i % 10) + "/p" + i + ".html");
            Files.createDirectories(page.getParent());
            Files.writeString(page, "<h1>page " + i + "</h1>\n<p>text</p>\n");
        }
        inventory = writeInventory(8080);
        state = project.resolve("state");
    }

    private Path writeInventory(int port) throws Exception {
        return Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options:
                      site.content: path:www
                      site.port: %d
                """.formatted(port));
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private void editPage(int i) throws Exception {
        Files.writeString(project.resolve("www/pages/" + (i % 10) + "/p" + i + ".html"),
                "<h1>page " + i + "</h1>\n<p>new text</p>\n");
    }

    @Test
    void aOneLineChangeInA500FileSourceShowsExactlyThatPathInTextAndJson() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        editPage(250);

        CliRun plan = deploy("plan");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("files: 0 added, 0 removed, 1 changed, 0 mode changed")
                .contains("        ~ pages/0/p250.html\n")
                .contains("~ service site  (recorded only: local target without services: systemd)  (changed: "
                        + "source/site.content)")
                .contains("to send: 1 file, 34 B (499 copied on the host from its earlier versions)");
        assertThat(plan.stdout().lines().filter(l -> l.contains(".html"))).hasSize(1);

        JsonNode json = new ObjectMapper().readTree(deploy("plan", "--json").stdout());
        JsonNode artifacts = json.at("/hosts/0/diff/artifacts");
        assertThat(artifacts).hasSize(1);
        assertThat(artifacts.get(0).get("role").asText()).isEqualTo("source/site.content");
        assertThat(artifacts.get(0).at("/counts/changed").asInt()).isEqualTo(1);
        assertThat(artifacts.get(0).at("/files/0/path").asText()).isEqualTo("pages/0/p250.html");
        assertThat(json.at("/hosts/0/diff/services/0/because/0").asText()).isEqualTo("source/site.content");
        assertThat(json.at("/hosts/0/diff/sending/files").asInt()).isEqualTo(1);
        assertThat(json.at("/hosts/0/diff/sending/linked").asInt()).isEqualTo(499);
    }

    @Test
    void theRenderedFileAndTheUnitShowTheirTextDiffAndEveryStorePathToAddHasALine() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        inventory = writeInventory(9090);

        CliRun plan = deploy("plan");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("~ file/site.conf", "~ unit/site", "      -port=8080", "      +port=9090")
                .containsPattern("      -ExecStart=.*8080.*\n      \\+ExecStart=.*9090")
                .contains("(changed: unit, file/site.conf)");
        Matcher count = Pattern.compile("store paths to add: (\\d+)").matcher(plan.stdout());
        assertThat(count.find()).isTrue();
        List<String> lines = plan.stdout().lines()
                .filter(l -> l.matches("  [+~] (source|file|unit|venv)/.*") && !l.contains("(already on the host)")
                        && !l.contains("(same store path as"))
                .toList();
        assertThat(lines).hasSize(Integer.parseInt(count.group(1)));
    }

    @Test
    void aSavedPlanAppliesExactlyAndIsRefusedOnceAnotherApplyChangedTheHost() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        editPage(3);
        Path saved = project.resolve("reviewed.plan.json");
        CliRun plan = deploy("plan", "--out", saved.toString());
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("Saved the plan to " + saved);
        JsonNode file = new ObjectMapper().readTree(saved.toFile());
        assertThat(file.get("format").asText()).isEqualTo("deploy-plan");
        assertThat(file.get("version").asInt()).isEqualTo(2);
        assertThat(file.at("/hosts/0/base/generation").asInt()).isEqualTo(1);
        Path stale = project.resolve("stale.plan.json");
        Files.copy(saved, stale);

        CliRun apply = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/2");
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/pages/3/p3.html")))
                .contains("new text");

        CliRun again = CliRun.of("apply", "--no-color", stale.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stdout() + again.stderr()).contains("box").contains("check plan")
                .contains("changed since the plan was made");
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/2");
    }

    @Test
    void aSavedPlanIsRefusedWhenTheLocalInputsNoLongerProduceItsStorePaths() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        editPage(7);
        Path saved = project.resolve("plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        editPage(8);

        CliRun apply = CliRun.of("apply", "--no-color", inventory.toString(), saved.toString());
        assertThat(apply.exitCode()).isEqualTo(3);
        assertThat(apply.stderr()).contains("box").contains("source/site.content")
                .contains("no longer produce the planned store paths");
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/1");
    }

    @Test
    void aSavedPlanNamesItsHostsSoOnIsRefusedAndAPlanIsNotWrittenWhenAHostCouldNotBePlanned() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Path saved = project.resolve("plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        CliRun withOn = CliRun.of("apply", "--no-color", "--on", "box", saved.toString());
        assertThat(withOn.exitCode()).isEqualTo(3);
        assertThat(withOn.stderr()).contains("--on");

        Files.writeString(state.resolve("current/manifest.json"), "{ not json");
        Path notWritten = project.resolve("not-written.json");
        CliRun broken = deploy("plan", "--out", notWritten.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stdout()).contains("Plan: incomplete.").doesNotContain("no changes");
        assertThat(broken.stderr()).contains("not written");
        assertThat(Files.exists(notWritten)).isFalse();
    }

    @Test
    void aSavedPlanIsRefusedWhenAStorePathWasDamagedSinceInsteadOfRepairingItUnreviewed() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Path saved = project.resolve("plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).stdout()).contains("no changes");
        Path page = state.resolve("current/roots/source/site.content/pages/3/p3.html").toRealPath();
        Files.setPosixFilePermissions(page, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(page, "tampered\n", java.nio.file.StandardOpenOption.APPEND);

        CliRun apply = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(1);
        assertThat(apply.stderr()).contains("box: check plan: changed since the plan was made: apply would now also "
                + "repair ", "-site.content, which the plan does not show");
        assertThat(Files.readString(page)).as("nothing was changed").endsWith("tampered\n");
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/1");

        assertThat(deploy("plan", "--out", saved.toString()).stdout()).contains("~ repair  ");
        CliRun repair = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(repair.exitCode()).as(repair.stdout() + repair.stderr()).isZero();
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/pages/3/p3.html")))
                .doesNotContain("tampered");
    }

    @Test
    void aSavedPlanWithASecretAppliesAndIsRefusedOnceTheSecretsValueChanged() throws Exception {
        Files.writeString(project.resolve("modules/site.yaml"), Files.readString(project.resolve("modules/site.yaml"))
                .replace("files:", "secrets:\n  token: {as: env TOKEN}\nfiles:")
                .replace("    environment:", "    secrets: [token]\n    environment:"));
        Files.writeString(project.resolve("token.txt"), "value-one\n");
        Files.writeString(inventory, Files.readString(inventory) + "    secrets: {site.token: {file: token.txt}}\n");
        Path saved = project.resolve("plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        assertThat(Files.readString(saved)).as("the host has no naming key yet").contains("\"unkeyed\"")
                .doesNotContain("value-one");
        CliRun first = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();

        Files.writeString(project.resolve("token.txt"), "value-two\n");
        assertThat(deploy("plan", "--out", saved.toString()).stdout()).contains("secret site.token");
        CliRun second = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(Files.readString(state.resolve("current/secrets/site.token"))).contains("value-two");

        Files.writeString(project.resolve("token.txt"), "value-three\n");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        Files.writeString(project.resolve("token.txt"), "value-four\n");
        CliRun changed = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(changed.exitCode()).as(changed.stdout() + changed.stderr()).isEqualTo(1);
        assertThat(changed.stderr()).contains("box: check plan: changed since the plan was made: the value of "
                + "secret site.token differs from the one planned").doesNotContain("value-");
        assertThat(Files.readString(state.resolve("current/secrets/site.token"))).contains("value-two");
    }

    @Test
    void aSavedPlanWhoseHostWasRenamedInTheInventoryIsBadInputNamingThePlanAndTheHost() throws Exception {
        Path saved = project.resolve("plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        Files.writeString(inventory, Files.readString(inventory).replace("  box:", "  crate:"));

        CliRun apply = CliRun.of("apply", "--no-color", inventory.toString(), saved.toString());
        assertThat(apply.exitCode()).isEqualTo(3);
        assertThat(apply.stderr().strip()).startsWith("deploy: error: " + saved + ": hosts: host 'box' of the plan is not in")
                .contains("removed or renamed since the plan was made").doesNotContain("--on");
        assertThat(state).as("nothing applied").doesNotExist();
    }

    @Test
    void aDamagedPlanFileIsBadInputNamingTheFile() throws Exception {
        Path bad = Files.writeString(project.resolve("bad.json"), "{\"format\": \"deploy-plan\", \"version\": 9}");
        CliRun apply = CliRun.of("apply", "--no-color", inventory.toString(), bad.toString());
        assertThat(apply.exitCode()).isEqualTo(3);
        assertThat(apply.stderr()).contains(bad.toString()).contains("version");
        assertThat(Files.exists(state)).isFalse();
    }

    @Test
    void aSavedPlanIsRefusedBeforeAnyHostIsTouchedWhenTheHostsAddressOrActivationPolicyChangedSince()
            throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        editPage(3);
        Path saved = project.resolve("reviewed.plan.json");
        assertThat(deploy("plan", "--out", saved.toString()).exitCode()).isZero();
        String planned = Files.readString(inventory);
        Path current = state.resolve("current");
        String live = Files.readSymbolicLink(current).toString();

        Files.writeString(inventory, planned.replace("    modules: [site]", "    modules: [site]\n    magicRollback: false"));
        CliRun policy = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(policy.exitCode()).as(policy.stdout() + policy.stderr()).isEqualTo(3);
        assertThat(policy.stderr()).contains(saved.toString(), "box", "target",
                "changed in the inventory since the plan was made", "magicRollback false");

        Files.writeString(inventory, planned.replace("local: {root: state}", "local: {root: elsewhere}"));
        CliRun moved = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(moved.exitCode()).as(moved.stdout() + moved.stderr()).isEqualTo(3);
        assertThat(moved.stderr()).contains("the inventory now reaches it as local ", "elsewhere");
        assertThat(project.resolve("elsewhere")).as("the other target was not touched").doesNotExist();
        assertThat(Files.readSymbolicLink(current).toString()).isEqualTo(live);

        Files.writeString(inventory, planned);
        CliRun apply = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
    }

    @Test
    void aSecretValueInTheOldTextOfARenderedFileOrInAShortOptionNeverShowsInThePlanDiff() throws Exception {
        Files.writeString(project.resolve("modules/app.yaml"), """
                module: app
                options:
                  token: {type: string}
                  tag: {type: string, default: none}
                secrets:
                  token: {as: file, optional: true}
                files:
                  conf:
                    name: app.conf
                    text: "token=${token}\\ntag=${tag}\\n"
                """);
        String old = "tok-" + java.util.UUID.randomUUID();
        Path secrets = Files.writeString(project.resolve("secrets.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [app]
                    options: {app.token: "%s"}
                """.formatted(old));
        CliRun first = CliRun.against(secrets, "apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        // The value moves from the option into a secret; a short value is also written in an option by mistake.
        Files.writeString(project.resolve("token.txt"), old);
        Files.writeString(project.resolve("short.txt"), "s3kr1t");
        Files.writeString(project.resolve("modules/app.yaml"), Files.readString(project.resolve("modules/app.yaml"))
                .replace("token: {as: file, optional: true}", "token: {as: file}\n  short: {as: file}"));
        Files.writeString(secrets, """
                hosts:
                  box:
                    local: {root: state}
                    modules: [app]
                    options: {app.token: moved, app.tag: s3kr1t}
                    secrets: {app.token: {file: token.txt}, app.short: {file: short.txt}}
                """);
        CliRun plan = CliRun.against(secrets, "plan");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("-token=<secret app.token>", "+token=moved", "+tag=<secret app.short>")
                .doesNotContain(old).doesNotContain("s3kr1t");
        CliRun json = CliRun.against(secrets, "plan", "--json");
        assertThat(json.stdout()).contains("<secret app.token>").doesNotContain(old).doesNotContain("s3kr1t");
    }
}
