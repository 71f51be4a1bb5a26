package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.store.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceReaderTest {

    @TempDir
    Path tmp;

    @Test
    void tagResolvesToItsCommitAndTheTreeComesFromThatCommitNotTheWorkingTree() throws Exception {
        Path repo = tmp.resolve("app");
        RevCommit first;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("app.py"), "v1\n");
            git.add().addFilepattern(".").call();
            first = git.commit().setMessage("v1").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
            git.tag().setName("v1.0").setAnnotated(true).setMessage("release").setSigned(false).call();
            Files.writeString(repo.resolve("app.py"), "v2\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("v2").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
        }
        Files.writeString(repo.resolve("app.py"), "dirty, uncommitted\n");
        Files.writeString(repo.resolve("untracked.txt"), "never deployed\n");

        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            SourceSnapshot tagged = reader.read(new SourceSpec.GitSource("app", "v1.0", null), tmp);
            assertThat(tagged.origin()).endsWith("@ " + first.getName());
            assertThat(tagged.tree().entries()).extracting(TreeEntry::path).containsExactly("app.py");
            try (var in = tagged.contents().open(tagged.tree().entries().get(0))) {
                assertThat(new String(in.readAllBytes())).isEqualTo("v1\n");
            }
            SourceSnapshot main = reader.read(new SourceSpec.GitSource("app", "main", null), tmp);
            try (var in = main.contents().open(main.tree().entries().get(0))) {
                assertThat(new String(in.readAllBytes())).isEqualTo("v2\n");
            }
            assertThat(main.tree().hash()).isNotEqualTo(tagged.tree().hash());

            SourceSnapshot byId = reader.read(new SourceSpec.GitSource("app", first.getName(), null), tmp);
            assertThat(byId.tree().hash()).isEqualTo(tagged.tree().hash());
        }
    }

    @Test
    void sameTreeFromGitAndFromADirectoryHasTheSameHash() throws Exception {
        Path repo = tmp.resolve("app");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(repo.resolve("pkg"));
            Files.writeString(repo.resolve("pkg/mod.py"), "x = 1\n");
            Files.writeString(repo.resolve("run.sh"), "#!/bin/sh\n");
            repo.resolve("run.sh").toFile().setExecutable(true);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("c").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
        }
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            String fromGit = reader.read(new SourceSpec.GitSource(repo.toString(), "main", null), tmp).tree().hash();
            String fromDir = PathSourceReader.read(new SourceSpec.PathSource(repo, List.of(), null)).tree().hash();
            assertThat(fromGit).isEqualTo(fromDir);
        }
    }

    @Test
    void unknownRefIsAnInputError() throws Exception {
        Path repo = tmp.resolve("app");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("a"), "a");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("c").setSign(false).setAuthor("t", "t@example.org")
                    .setCommitter("t", "t@example.org").call();
        }
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThatThrownBy(() -> reader.read(new SourceSpec.GitSource("app", "v9", null), tmp))
                    .hasMessageContaining("ref 'v9' is not a branch, tag or commit of the repository");
        }
    }
}
