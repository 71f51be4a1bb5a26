package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.deploy.DeployException;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git sources fetched from a real server on 127.0.0.1 (git's dumb HTTP protocol, as static hosting serves a
 * repository), written the way users write them, including a URL that carries credentials.
 */
class RemoteGitSourceTest {

    private static final String SECRET = "s3cr3t-t0ken";

    @TempDir
    Path tmp;

    private GitRepo work;
    private String first;
    private Path lockFile;

    @BeforeEach
    void served() throws Exception {
        work = GitRepo.init(tmp.resolve("work"));
        work.write("index.html", "one\n");
        first = work.commit("one");
        work.git("clone", "-q", "--bare", work.dir.toString(), tmp.resolve("srv/app.git").toString());
        work.git("-C", tmp.resolve("srv/app.git").toString(), "update-server-info");
        lockFile = tmp.resolve("deploy.lock");
    }

    private SourceSpec.GitSource parse(String reference) throws Exception {
        Path file = Files.writeString(tmp.resolve("inventory.yaml"), "source: '" + reference + "'\n");
        YamlValue value = YamlFiles.load(file).map().require("source");
        return (SourceSpec.GitSource) SourceSpecs.parse(value, tmp);
    }

    private SourceResolver resolver() {
        return new SourceResolver(tmp.resolve("cache"), new SourceOptions(Optional.of(lockFile), false, false,
                Optional.empty(), ControllerPaths.none()));
    }

    @Test
    void aRepositoryServedOverDumbHttpIsPinnedAndCheckedUpstreamWithoutAnInternalError() throws Exception {
        try (DumbHttpGitServer server = new DumbHttpGitServer(tmp.resolve("srv"));
             SourceResolver run = resolver()) {
            SourceSpec.GitSource spec = parse("git+http://127.0.0.1:" + server.port() + "/app.git?ref=main");
            SourceSnapshot snapshot = run.resolve(spec, tmp);
            assertThat(snapshot.origin()).contains("branch main @ " + first);
            run.checkUpstream();
            assertThat(run.notices()).noneMatch(n -> n instanceof SourceNotice.UpstreamUnchecked);
        }
    }

    @Test
    void credentialsInARepositoryUrlReachNeitherTheLockNorPlansNorMessages() throws Exception {
        List<String> shown = new ArrayList<>();
        try (DumbHttpGitServer server = new DumbHttpGitServer(tmp.resolve("srv"))) {
            String base = "http://deployer:" + SECRET + "@127.0.0.1:" + server.port();
            List<String> references = List.of("git+" + base + "/app.git?ref=main", "git:" + base + "/app.git#main",
                    "git+http://" + SECRET + "@127.0.0.1:" + server.port() + "/app.git?ref=main");
            for (String reference : references) {
                SourceSpec.GitSource spec = parse(reference);
                assertThat(spec.url()).as("the fetch still gets them").contains(SECRET);
                shown.add(spec.written());
                shown.add(spec.toString());
                try (SourceResolver run = resolver()) {
                    SourceSnapshot snapshot = run.resolve(spec, tmp);
                    assertThat(snapshot.tree().entries()).isNotEmpty();
                    shown.add(snapshot.origin());
                    run.checkUpstream();
                    run.notices().forEach(n -> shown.add(n.toString()));
                    run.pinChanges().forEach(c -> shown.add(c.toString()));
                    shown.addAll(run.usedReferences());
                }
            }
            shown.add(Files.readString(lockFile));
            Throwable missing = catchThrowable(() -> {
                try (SourceResolver run = resolver()) {
                    run.resolve(parse("git+" + base + "/nothere.git?ref=main"), tmp);
                }
            });
            assertThat(missing).isInstanceOf(DeployException.class);
            shown.add(missing.getMessage());
        }
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        for (String unreachable : List.of("git+https://deployer:" + SECRET + "@127.0.0.1:" + closed + "/app.git",
                "git+https://deployer:" + SECRET + "@127.0.0.1:" + closed + "/app.git?ref=main")) {
            Throwable failed = catchThrowable(() -> {
                try (SourceResolver run = resolver()) {
                    run.resolve(parse(unreachable), tmp);
                }
            });
            assertThat(failed).isInstanceOfSatisfying(DeployException.class,
                    e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST));
            shown.add(failed.getMessage());
        }
        Throwable malformed = catchThrowable(() -> parse("git+https://deployer:" + SECRET + "@h/app.git?nope=1"));
        assertThat(malformed).isInstanceOf(DeployException.class);
        shown.add(malformed.getMessage());
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(SECRET));
        assertThat(String.join("\n", shown)).contains("deployer:***@127.0.0.1").contains("http://***@127.0.0.1");
    }
}
