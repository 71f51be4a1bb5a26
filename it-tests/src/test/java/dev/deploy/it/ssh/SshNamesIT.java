package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.local.CliRun;
import dev.deploy.it.local.GitFixture;
import dev.deploy.it.local.OddNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 over a real sshd on 127.0.0.1: every odd name from a path: and a git: source arrives byte for byte
 * through the SSH channel with the controller under LANG=C, and gitignore excludes hold.
 */
class SshNamesIT {

    @TempDir
    Path dir;

    private OpenSshServer server;
    private Path state;

    @BeforeEach
    void start() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(key));
        state = dir.resolve("remote-state");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  code: {type: source}
                services:
                  site:
                    exec: /bin/true ${content} ${code}
                """);
        Files.writeString(dir.resolve("known_hosts"), "");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Path inventory(String content, String code) throws Exception {
        return Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  web1:
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    identity: id_ed25519
                    knownHosts: known_hosts
                    stateDir: %s
                    modules: [site]
                    options:
                      site.content: %s
                      site.code: %s
                """.formatted(server.port(), System.getProperty("user.name"), state, content, code));
    }

    @Test
    void oddNamesFromPathAndGitSourcesArriveByteForByteOverSshWithTheControllerUnderLangC() throws Exception {
        OddNames.create(dir.resolve("www"));
        GitFixture repo = GitFixture.init(dir.resolve("repo"));
        OddNames.create(repo.dir());
        repo.commitAll("odd");
        Path inventory = inventory("path:www", "git+file:repo?ref=main");
        OddNames.ForkedRun apply = OddNames.fork(OddNames.env(OddNames.POSIX_LOCALE, dir.resolve("cache")),
                OddNames.POSIX_JVM, "apply", "--accept-new-host-keys", "--no-color", inventory.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        OddNames.assertDeployed(state.resolve("current/roots/source/site.content"));
        OddNames.assertDeployed(state.resolve("current/roots/source/site.code"));

        CliRun plan = CliRun.against(inventory, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as("same store paths under UTF-8: " + plan.stdout() + plan.stderr()).isZero();

        // a delta of the odd tree: one changed file crosses, every other odd name is linked by its exact bytes
        Files.write(OddNames.exact(dir.resolve("www"), "caf\u00e9.txt"), "changed".getBytes());
        CliRun again = CliRun.against(inventory, "apply", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("\"filesSent\" : 1");
        assertThat(Files.readString(OddNames.exact(state.resolve("current/roots/source/site.content"),
                "caf\u00e9.txt"))).isEqualTo("changed");
    }

    @Test
    void gitignoreExcludesHoldOverSsh() throws Exception {
        Path www = dir.resolve("www");
        for (String file : List.of("index.html", "node_modules/a.js", "sub/node_modules/b.js", "build/out.js",
                "sub/build/keep.js", "deps/lib.a", "app.log")) {
            Files.createDirectories(www.resolve(file).getParent());
            Files.writeString(www.resolve(file), file);
        }
        Path inventory = inventory("{path: www, exclude: [\"node_modules/\", \"deps/\", \"/build\", \"*.log\"]}",
                "path:modules");
        CliRun apply = CliRun.against(inventory, "apply", "--accept-new-host-keys");
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        Path deployed = state.resolve("current/roots/source/site.content").toRealPath();
        try (Stream<Path> walk = Files.walk(deployed)) {
            assertThat(walk.map(p -> deployed.relativize(p).toString()).filter(p -> !p.isEmpty()))
                    .containsExactlyInAnyOrder("index.html", "sub", "sub/build", "sub/build/keep.js");
        }
    }
}
