package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real git repository driven by the git command line (raw-byte names, branches, tags, LFS attributes). */
final class GitRepo {

    final Path dir;

    GitRepo(Path dir) {
        this.dir = dir;
    }

    static GitRepo init(Path dir) throws Exception {
        Files.createDirectories(dir);
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    /** Runs {@code sh -c script} in the repository (for names of raw bytes written with printf). */
    String sh(String script) throws Exception {
        return run(List.of("sh", "-c", script));
    }

    String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Adds everything and commits; returns the commit id. */
    String commit(String message) throws Exception {
        git("add", "-A");
        git("commit", "-q", "--no-gpg-sign", "-m", message);
        return git("rev-parse", "HEAD").strip();
    }

    void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.org",
                "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.org", "GIT_CONFIG_NOSYSTEM", "1",
                "HOME", dir.toString(), "LC_ALL", "C"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
        return output;
    }
}
