package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real git repository driven by the git command line, for end-to-end tests of git sources. */
public record GitFixture(Path dir) {

    public static GitFixture init(Path dir) throws Exception {
        Files.createDirectories(dir);
        GitFixture repo = new GitFixture(dir);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    /** A bare repository (for {@code git daemon}). */
    public static GitFixture bare(Path dir) throws Exception {
        Files.createDirectories(dir);
        GitFixture repo = new GitFixture(dir);
        repo.git("init", "-q", "--bare", "-b", "main");
        return repo;
    }

    public String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.org",
                "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.org", "GIT_CONFIG_NOSYSTEM", "1",
                "HOME", dir.toString(), "LC_ALL", "C"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
        return output;
    }

    public void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Commits everything; returns the commit id. */
    public String commitAll(String message) throws Exception {
        git("add", "-A");
        git("commit", "-q", "--no-gpg-sign", "-m", message);
        return head();
    }

    public String head() throws Exception {
        return git("rev-parse", "HEAD").strip();
    }

    /** Commits a file whose name no working tree could hold (recorded through the index directly). */
    public String addBlobUnderName(String name, String content) throws Exception {
        write("blob.tmp", content);
        String blob = git("hash-object", "-w", "blob.tmp").strip();
        Files.delete(dir.resolve("blob.tmp"));
        git("update-index", "--add", "--cacheinfo", "100644," + blob + "," + name);
        git("commit", "-q", "--no-gpg-sign", "-m", "odd name");
        return head();
    }
}
