package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitBlobHashCacheTest {

    @TempDir
    Path tmp;

    private Path repo;
    private Path cacheDir;

    @BeforeEach
    void repository() throws Exception {
        repo = tmp.resolve("app");
        cacheDir = tmp.resolve("cache");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(repo.resolve("pkg"));
            Files.writeString(repo.resolve("app.py"), "print('hi')\n");
            Files.writeString(repo.resolve("pkg/a.py"), "a = 1\n");
            Files.writeString(repo.resolve("pkg/b.py"), "b = 2\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("v1").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
        }
    }

    /** Reads main with a fresh reader (as a new deploy run would) and returns how many blobs it hashed. */
    private int read(Tree[] tree) {
        try (GitSourceReader reader = new GitSourceReader(cacheDir)) {
            tree[0] = reader.read(new SourceSpec.GitSource("app", "main", null), tmp).tree();
            return reader.blobsHashed();
        }
    }

    @Test
    void aSecondRunHashesNoBlobAndGetsTheSameTree() {
        Tree[] first = new Tree[1];
        Tree[] second = new Tree[1];
        assertThat(read(first)).isEqualTo(3);

        assertThat(read(second)).isZero();

        assertThat(second[0].hash()).isEqualTo(first[0].hash())
                .isEqualTo(PathSourceReader.read(new SourceSpec.PathSource(repo, List.of(), null)).tree().hash());
        assertThat(second[0].entries()).isEqualTo(first[0].entries());
    }

    @Test
    void onlyANewBlobIsHashed() throws Exception {
        read(new Tree[1]);
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(repo.resolve("pkg/a.py"), "a = 3\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("v2").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
        }
        Tree[] tree = new Tree[1];

        assertThat(read(tree)).isEqualTo(1);

        assertThat(tree[0].hash())
                .isEqualTo(PathSourceReader.read(new SourceSpec.PathSource(repo, List.of(), null)).tree().hash());
    }

    @Test
    void aCorruptBlobCacheIsIgnored() throws Exception {
        Tree[] first = new Tree[1];
        read(first);
        try (Stream<Path> files = Files.list(cacheDir.resolve("hashes"))) {
            for (Path file : files.toList()) {
                byte[] bytes = Files.readAllBytes(file);
                bytes[bytes.length - 20] ^= 0x01;
                Files.write(file, bytes);
            }
        }
        Tree[] second = new Tree[1];

        assertThat(read(second)).isEqualTo(3);

        assertThat(second[0].hash()).isEqualTo(first[0].hash());
        assertThat(read(new Tree[1])).isZero();
    }
}
