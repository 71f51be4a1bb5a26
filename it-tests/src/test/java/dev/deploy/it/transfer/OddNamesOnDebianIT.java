package dev.deploy.it.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.GitFixture;
import dev.deploy.it.local.OddNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 on a real Debian bookworm host over SSH (its GNU tar, coreutils, dash): every name Linux allows (one of
 * every byte 0x01-0xff but '/', 255-byte names, newlines, bytes that are not UTF-8) and a link target with odd bytes
 * arrive byte for byte from a path: and a git: source, with the controller under LANG=C and an ASCII JVM charset.
 */
class OddNamesOnDebianIT {

    /** A digest of a tree's names, kinds, link targets and contents, computed by the same commands on both sides. */
    private static final String TREE_DIGEST = "cd \"$1\" && { find . -mindepth 1 -printf '%y %P\\0%l\\0' | sort -z; "
            + "find . -type f -print0 | sort -z | xargs -0 cat; } | sha256sum";

    @TempDir
    Path dir;

    private DebianTestHost host;

    @BeforeEach
    void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  code: {type: source}
                services:
                  site:
                    exec: /usr/bin/env CODE=${code} /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                """);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static String localDigest(Path tree) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", TREE_DIGEST, "sh", tree.toString()).redirectErrorStream(true)
                .start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).as(out).isZero();
        return out.trim();
    }

    private String hostDigest(String tree) {
        ExecResult result = host.exec("sh", "-c", TREE_DIGEST, "sh", tree).requireSuccess("digest of " + tree);
        return result.stdout().trim();
    }

    @Test
    void everyNameLinuxAllowsArrivesByteForByteOnDebianFromPathAndGitSources() throws Exception {
        OddNames.create(dir.resolve("www"));
        GitFixture repo = GitFixture.init(dir.resolve("repo"));
        OddNames.create(repo.dir());
        repo.commitAll("odd");
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n" + host.inventoryEntry("deb1",
                "modules: [site]", "options: {site.content: \"path:www\", site.code: \"git+file:repo?ref=main\"}"));
        OddNames.ForkedRun apply = OddNames.fork(OddNames.env(OddNames.POSIX_LOCALE, dir.resolve("cache")),
                OddNames.POSIX_JVM, "apply", "--no-color", inventory.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();

        String expected = localDigest(dir.resolve("www"));
        Files.walk(repo.dir().resolve(".git")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile()
                .delete());
        assertThat(localDigest(repo.dir())).as("the git tree is the same odd tree").isEqualTo(expected);
        assertThat(hostDigest("/var/lib/deploy/current/roots/source/site.content/")).isEqualTo(expected);
        assertThat(hostDigest("/var/lib/deploy/current/roots/source/site.code/")).isEqualTo(expected);
        ExecResult count = host.exec("sh", "-c", "find /var/lib/deploy/current/roots/source/site.content/ -mindepth 1 "
                + "-printf . | wc -c");
        assertThat(count.stdout().trim()).isEqualTo(String.valueOf(OddNames.FILES.size() + 2));
    }
}
