package dev.deploy.it.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes benchmark trees deterministically: the same spec and seed give the same paths and bytes on every machine
 * ({@link SplittableRandom} is specified to be reproducible). A tree is many small text sources (like a Python web
 * app's modules, templates, styles) spread over nested packages, plus a few larger incompressible static assets.
 */
public final class TreeGenerator {

    /** Shape of a tree: how many sources and assets, and the range of their sizes in bytes. */
    public record Spec(String name, int sources, int sourceMinBytes, int sourceMaxBytes,
                       int assets, int assetMinBytes, int assetMaxBytes) {

        /** About 500 files, 13 MB: a typical Python web app. */
        public static final Spec APP = new Spec("app", 480, 512, 10 * 1024, 20, 200 * 1024, 840 * 1024);
        /** About 10,000 files, 100 MB. */
        public static final Spec LARGE = new Spec("large", 9_900, 512, 8_704, 100, 200 * 1024, 900 * 1024);

        public int files() {
            return sources + assets;
        }
    }

    /** What was written: file count and total bytes. */
    public record Written(int files, long bytes) {
    }

    private static final String[] WORDS = {"def", "return", "self", "import", "from", "class", "request", "user",
        "session", "query", "items", "render", "template", "config", "value", "None", "True", "False", "for", "in",
        "if", "else", "async", "await", "data", "model", "view", "form", "field", "=", "(", ")", ":", ",", "+", "-"};
    private static final String[] SOURCE_KINDS = {".py", ".py", ".py", ".html", ".css", ".js", ".txt"};
    private static final String[] ASSET_KINDS = {".png", ".jpg", ".woff2", ".svgz"};

    private TreeGenerator() {
    }

    /** Writes the tree for {@code spec} and {@code seed} into {@code dir} (created; must not hold other files). */
    public static Written generate(Path dir, Spec spec, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long bytes = 0;
        for (int i = 0; i < spec.sources(); i++) {
            String kind = SOURCE_KINDS[random.nextInt(SOURCE_KINDS.length)];
            Path file = dir.resolve(sourcePath(i, kind));
            int size = spec.sourceMinBytes() + random.nextInt(spec.sourceMaxBytes() - spec.sourceMinBytes() + 1);
            bytes += write(file, text(random, size));
        }
        for (int i = 0; i < spec.assets(); i++) {
            String kind = ASSET_KINDS[random.nextInt(ASSET_KINDS.length)];
            Path file = dir.resolve("static/assets/asset-" + i + kind);
            byte[] content = new byte[spec.assetMinBytes() + random.nextInt(spec.assetMaxBytes() - spec.assetMinBytes() + 1)];
            random.nextBytes(content);
            bytes += write(file, content);
        }
        return new Written(spec.files(), bytes);
    }

    /**
     * Rewrites one mid-sized source file of a tree made by {@link #generate} with new content of the same size,
     * different for each {@code variant}; returns the file.
     */
    public static Path changeOneFile(Path dir, int variant) throws IOException {
        Path file = dir.resolve(sourcePath(0, ".py")).getParent().resolve("changed_module.py");
        SplittableRandom random = new SplittableRandom(variant * 7919L + 1);
        write(file, text(random, 6 * 1024));
        return file;
    }

    /** {@code app/pkgA/subB/module_N.ext}: about 10 files a directory, two levels of packages. */
    private static String sourcePath(int index, String kind) {
        int dir = index / 10;
        return "app/pkg" + (dir / 10) + "/sub" + (dir % 10) + "/module_" + index + kind;
    }

    private static byte[] text(SplittableRandom random, int size) {
        StringBuilder out = new StringBuilder(size + 16);
        int column = 0;
        while (out.length() < size) {
            String word = WORDS[random.nextInt(WORDS.length)];
            out.append(word);
            column += word.length() + 1;
            if (column > 72) {
                out.append('\n');
                column = 0;
            } else {
                out.append(' ');
            }
        }
        out.setLength(size - 1);
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(content);
        }
        return content.length;
    }
}
