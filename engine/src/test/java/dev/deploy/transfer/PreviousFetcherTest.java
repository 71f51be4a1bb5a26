package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.host.LocalConnection;
import dev.deploy.plan.HostDiffs;
import dev.deploy.plan.PreviousVersions;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code previous.sh} on a local target (real sh, find, head): bases, checksum lists and texts in one answer. */
class PreviousFetcherTest {

    @TempDir
    Path dir;

    private final LocalConnection connection = new LocalConnection("local1");

    private static Artifact site(String index) {
        return new MemoryTree().file("index.html", index, false).file("bin/run", "#!/bin/sh\n", true)
                .toArtifact("site", "path:site");
    }

    private static Artifact unit(String text) {
        return new MemoryTree().file("web.service", text, false).toArtifact("web.service", "unit web");
    }

    @Test
    void oneRoundTripReturnsTheBaseTheChecksumListOfAnOldPathAndTheTextOfAnOldUnit() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        Artifact oldUnit = unit("[Service]\nExecStart=/bin/a\n");
        ArtifactPusher.push(connection, layout, List.of(v1, oldUnit), TransferProgress.NONE);
        long before = connection.stats().roundTrips();

        String input = PreviousFetcher.requests(List.of(new DeltaBases.Request(v2.storePath(),
                Optional.of(v1.storePath()), List.of())), new HostDiffs.Wanted(Set.of(v1.storePath()),
                Set.of(oldUnit.storePath())));
        assertThat(input).as("the base's list is not asked for twice")
                .isEqualTo("b " + v2.storePath() + " " + v1.storePath() + "\nt " + oldUnit.storePath() + " "
                        + HostDiffs.MAX_TEXT_BYTES + "\n");
        byte[] output = connection.run(dev.deploy.host.HostScript.load(PreviousFetcher.class, "previous")
                .with("store", layout.store()).with("meta", layout.meta()).text(),
                out -> out.write(input.getBytes(StandardCharsets.US_ASCII))).stdout();
        assertThat(connection.stats().roundTrips()).isEqualTo(before + 1);

        PreviousFetcher.Fetched fetched = PreviousFetcher.parse(output);
        assertThat(fetched.bases().get(v2.storePath()).path()).isEqualTo(v1.storePath());
        PreviousVersions previous = fetched.previous();
        assertThat(previous.files().get(v1.storePath())).containsOnlyKeys("index.html", "bin/run");
        assertThat(previous.files().get(v1.storePath()).get("bin/run").executable()).isTrue();
        assertThat(previous.others().get(v1.storePath())).containsEntry("bin", "d");
        assertThat(new String(previous.texts().get(oldUnit.storePath()), StandardCharsets.UTF_8))
                .isEqualTo("[Service]\nExecStart=/bin/a\n");
    }

    @Test
    void aTextOverTheLimitOrAPathWithMoreThanOneEntryIsNotReturned() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());
        Artifact big = unit("x".repeat(100));
        Artifact site = site("one\n");
        ArtifactPusher.push(connection, layout, List.of(big, site), TransferProgress.NONE);
        String input = "t " + big.storePath() + " 10\nt " + site.storePath() + " 1000\nm " + "a".repeat(32)
                + "-gone\n";
        byte[] output = connection.run(dev.deploy.host.HostScript.load(PreviousFetcher.class, "previous")
                .with("store", layout.store()).with("meta", layout.meta()).text(),
                out -> out.write(input.getBytes(StandardCharsets.US_ASCII))).stdout();
        assertThat(output).isEmpty();
    }

    @Test
    void aDamagedAnswerKeepsWhatCameBeforeIt() {
        StorePath path = StorePath.parse("b".repeat(32) + "-web.service");
        byte[] output = ("@@text " + path + " 3\nabc@@text bogus 99\n").getBytes(StandardCharsets.US_ASCII);
        PreviousFetcher.Fetched fetched = PreviousFetcher.parse(output);
        assertThat(fetched.previous().texts()).containsOnlyKeys(path);
        assertThat(Files.exists(dir)).isTrue();
    }
}
