package dev.deploy.it.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.python.Installation;
import dev.deploy.python.ResolvedPackage;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.python.UvLock;
import dev.deploy.python.UvLockParser;
import dev.deploy.python.VenvResolution;
import dev.deploy.python.VenvResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's lock is one deploy reads, and it says what the integration tests rely on. */
class UvAppFixtureTest {

    /** What the test hosts run: Debian bookworm. */
    private static final TargetEnvironment BOOKWORM = TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36);
    private static final TargetEnvironment OLD_PYTHON = TargetEnvironment.glibcLinux("3.8.10", "x86_64", 2, 31);

    @TempDir
    Path dir;

    private static VenvResolution resolve(UvAppFixture fixture, TargetEnvironment target) {
        UvLock lock = UvLockParser.parse(fixture.project().resolve("uv.lock"));
        return VenvResolver.resolve(lock, target, "uvapp");
    }

    @Test
    void onBookwormTheVenvHasClikitAndGreetingButNotTheLegacyShim() {
        try (UvAppFixture fixture = UvAppFixture.create(dir)) {
            VenvResolution venv = resolve(fixture, BOOKWORM);
            assertThat(venv.names()).containsExactly("clikit", "greeting");
            assertThat(venv.withoutWheel()).isEmpty();
            assertThat(resolve(fixture, OLD_PYTHON).names()).containsExactly("clikit", "greeting", "legacy-shim");
        }
    }

    @Test
    void lockedUrlsServeWheelsWhoseSha256AndSizeMatchTheLock() throws Exception {
        try (UvAppFixture fixture = UvAppFixture.create(dir)) {
            for (ResolvedPackage pkg : resolve(fixture, BOOKWORM).packages()) {
                var file = ((Installation.Wheel) pkg.installation()).wheel().file();
                byte[] body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(file.location()))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
                assertThat(file.size().getAsLong()).as(pkg.name()).isEqualTo(body.length);
                assertThat(file.hash().orElseThrow().toString()).as(pkg.name()).isEqualTo("sha256:"
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            }
            assertThat(fixture.project().resolve("uvapp/main.py")).isRegularFile();
            assertThat(Files.readString(fixture.project().resolve("pyproject.toml")))
                    .contains("uvapp = \"uvapp.main:run\"");
        }
    }

    @Test
    void bumpingGreetingChangesOnlyItsEntryInTheLock() {
        try (UvAppFixture fixture = UvAppFixture.create(dir)) {
            String before = fixture.lock();
            BuiltWheel bumped = fixture.bumpGreeting("1.1.0");
            String after = fixture.lock();
            assertThat(after).contains("version = \"1.1.0\"", bumped.sha256()).doesNotContain("greeting-1.0.0");
            assertThat(after.replaceAll("(?s)name = \"greeting\".*?\\]\n", ""))
                    .isEqualTo(before.replaceAll("(?s)name = \"greeting\".*?\\]\n", ""));
            assertThat(resolve(fixture, BOOKWORM).packages()).filteredOn(p -> p.name().equals("greeting"))
                    .extracting(p -> p.lockedPackage().version().orElseThrow()).containsExactly("1.1.0");
        }
    }
}
