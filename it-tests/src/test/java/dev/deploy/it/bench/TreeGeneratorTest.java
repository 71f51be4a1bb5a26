package dev.deploy.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark trees are reproducible: same spec and seed, same bytes; another seed, another tree. */
class TreeGeneratorTest {

    private static final TreeGenerator.Spec SMALL = new TreeGenerator.Spec("small", 40, 100, 2_000, 3, 5_000, 9_000);

    @TempDir
    Path dir;

    @Test
    void sameSeedWritesTheSameTreeAndAnotherSeedADifferentOne() throws Exception {
        TreeGenerator.Written first = TreeGenerator.generate(dir.resolve("a"), SMALL, 42);
        TreeGenerator.generate(dir.resolve("b"), SMALL, 42);
        TreeGenerator.generate(dir.resolve("c"), SMALL, 43);

        assertThat(digest(dir.resolve("a"))).isEqualTo(digest(dir.resolve("b")))
                .isNotEqualTo(digest(dir.resolve("c")));
        assertThat(files(dir.resolve("a"))).hasSize(SMALL.files()).hasSize(first.files());
        assertThat(files(dir.resolve("a")).stream().mapToLong(TreeGeneratorTest::size).sum()).isEqualTo(first.bytes());
    }

    @Test
    void changingOneFileChangesExactlyThatFileAndEachVariantDiffers() throws Exception {
        Path tree = dir.resolve("t");
        TreeGenerator.generate(tree, SMALL, 1);
        String before = digest(tree);
        Path changed = TreeGenerator.changeOneFile(tree, 1);
        String once = digest(tree);
        TreeGenerator.changeOneFile(tree, 2);

        assertThat(once).isNotEqualTo(before);
        assertThat(digest(tree)).isNotEqualTo(once);
        assertThat(files(tree)).hasSize(SMALL.files() + 1).contains(changed);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path root) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Path file : files(root)) {
            sha.update(root.relativize(file).toString().getBytes());
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
