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

    private static SourceSpec.GitSource local(GitRepo repo, String ref) {
        return new SourceSpec.GitSource(repo.dir.toString(), java.util.Optional.ofNullable(ref),
                java.util.Optional.empty(), java.util.Optional.empty(), "git+file:" + repo.dir + "?ref=" + ref, null);
    }

    @Test
    void namesThatAreNotUtf8ArriveAsTheirBytesInsteadOfBeingRenamed() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("names"));
        repo.sh("printf x > \"$(printf 'caf\\351.txt')\"; printf y > \"$(printf 'new\\nline')\";"
                + " printf z > 'back\\slash'; printf w > '\u00c4rger \u00d6l.txt';"
                + " ln -s \"$(printf 't\\351//x\\ny/')\" link");
        repo.git("-c", "core.quotepath=false", "add", "-A");
        repo.commit("names");
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            SourceSnapshot snapshot = reader.read(local(repo, "main"), tmp);
            java.util.Map<String, TreeEntry> byBytes = new java.util.HashMap<>();
            snapshot.tree().entries().forEach(e -> byBytes.put(new String(e.pathBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1), e));
            assertThat(byBytes).containsKeys("caf\u00e9.txt", "new\nline", "back\\slash",
                    "\u00c3\u0084rger \u00c3\u0096l.txt", "link");
            assertThat(byBytes.get("link").linkTargetBytes()).isEqualTo(new byte[] {'t', (byte) 0xe9, '/', '/', 'x',
                    '\n', 'y', '/'});
            try (var in = snapshot.contents().open(byBytes.get("caf\u00e9.txt"))) {
                assertThat(new String(in.readAllBytes())).isEqualTo("x");
            }
            // the same tree read from the working directory: same names, same hash
            assertThat(PathSourceReader.read(new SourceSpec.PathSource(repo.dir, List.of(), null)).tree().hash())
                    .isEqualTo(snapshot.tree().hash());
        }
    }

    @Test
    void headAsTheRefIsTheCheckedOutCommitEvenWhenDetachedLikeRevParse() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("detached"));
        repo.write("f", "one");
        String first = repo.commit("one");
        repo.write("f", "two");
        repo.commit("two");
        repo.git("checkout", "-q", "--detach", first);
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            GitResolution head = reader.resolve(local(repo, "HEAD"), false);
            assertThat(head.commit()).isEqualTo(repo.git("rev-parse", "HEAD").strip()).isEqualTo(first);
            assertThat(head.kind()).isEqualTo(GitResolution.Kind.DEFAULT_BRANCH);
        }
    }

    @Test
    void aPartialCloneMissingABlobIsAnInputErrorThatSaysSoNotARawJgitMessage() throws Exception {
        GitRepo upstream = GitRepo.init(tmp.resolve("upstream"));
        upstream.write("big.bin", "content the partial clone does not have\n");
        upstream.write("small", "s");
        upstream.commit("one");
        upstream.git("config", "uploadpack.allowFilter", "true");
        GitRepo partial = new GitRepo(tmp);
        partial.git("clone", "-q", "--filter=blob:none", "--no-checkout", "file://" + upstream.dir, "partial");
        GitRepo clone = new GitRepo(tmp.resolve("partial"));
        String missing = clone.git("rev-list", "--objects", "--missing=print", "--all").lines()
                .filter(l -> l.startsWith("?")).findFirst().orElseThrow().substring(1);
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThatThrownBy(() -> reader.read(local(clone, "main"), tmp))
                    .isInstanceOfSatisfying(dev.deploy.DeployException.class, e -> {
                        assertThat(e.kind()).isEqualTo(dev.deploy.DeployException.Kind.INPUT);
                        assertThat(e.detail()).contains(missing).contains("partial clone")
                                .doesNotContain("Missing unknown");
                    });
        }
    }

    @Test
    void aFullCommitIdWinsOverABranchOfTheSameNameAndTagsWinOverBranchesLikeRevParse() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("refs"));
        repo.write("f", "one");
        String first = repo.commit("one");
        repo.write("f", "two");
        String second = repo.commit("two");
        repo.git("branch", first, second);       // a branch named like the first commit, pointing at the second
        repo.git("tag", "same", first);
        repo.git("branch", "same", second);
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            GitResolution byId = reader.resolve(local(repo, first), false);
            assertThat(byId.commit()).isEqualTo(first);
            assertThat(byId.kind()).isEqualTo(GitResolution.Kind.COMMIT);
            String revParse = repo.git("rev-parse", first).strip();
            assertThat(revParse.substring(revParse.lastIndexOf('\n') + 1)).as("what git itself says").isEqualTo(first);
            GitResolution same = reader.resolve(local(repo, "same"), false);
            assertThat(same.commit()).isEqualTo(first);
            assertThat(same.describe()).isEqualTo("tag same");
            assertThat(reader.resolve(local(repo, "main"), false).describe()).isEqualTo("branch main");
            assertThat(reader.resolve(local(repo, "heads/same"), false).commit()).isEqualTo(second);
            assertThat(reader.resolve(local(repo, second.substring(0, 10)), false).kind())
                    .isEqualTo(GitResolution.Kind.ABBREVIATED_COMMIT);
        }
    }

    @Test
    void gitLfsPointersAreRefusedNamingTheFiles() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("lfs"));
        repo.write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n");
        String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "4d".repeat(32) + "\nsize 132\n";
        repo.write("data/model.bin", pointer);
        repo.write("data/other.bin", pointer);
        repo.write("notes.txt", pointer); // looks like a pointer but LFS does not route it: deployed as is
        repo.commit("lfs");
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThatThrownBy(() -> reader.read(local(repo, "main"), tmp))
                    .isInstanceOf(dev.deploy.DeployException.class)
                    .hasMessageContaining("2 file(s) are Git LFS pointers")
                    .hasMessageContaining("data/model.bin, data/other.bin")
                    .hasMessageContaining("git lfs pull");
        }
        repo.write(".gitattributes", "");
        repo.commit("no lfs");
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThat(reader.read(local(repo, "main"), tmp).tree().fileCount()).isEqualTo(4);
        }
    }

    @Test
    void aDirReferenceTakesOnlyThatSubdirectoryAndInheritsTheRepositorysAttributes() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("mono"));
        repo.write("web/index.html", "hi");
        repo.write("web/static/app.css", "body{}");
        repo.write("api/main.py", "print()");
        String commit = repo.commit("mono");
        SourceSpec.GitSource web = new SourceSpec.GitSource(repo.dir.toString(), java.util.Optional.of("main"),
                java.util.Optional.empty(), java.util.Optional.of("web"), "git+file:mono?dir=web", null);
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            SourceSnapshot snapshot = reader.read(web, commit, false);
            assertThat(snapshot.tree().entries()).extracting(TreeEntry::path)
                    .containsExactly("index.html", "static", "static/app.css");
        }
        repo.write(".gitattributes", "*.bin filter=lfs\n");
        repo.write("web/big.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32)
                + "\nsize 9\n");
        String withLfs = repo.commit("lfs in web");
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThatThrownBy(() -> reader.read(web, withLfs, false)).hasMessageContaining("big.bin");
            SourceSpec.GitSource missing = new SourceSpec.GitSource(repo.dir.toString(), java.util.Optional.of("main"),
                    java.util.Optional.empty(), java.util.Optional.of("nope"), "x", null);
            assertThatThrownBy(() -> reader.read(missing, withLfs, false))
                    .hasMessageContaining("dir 'nope' is not a directory");
        }
    }

    @Test
    void aLinkedWorktreeOrAGitFileIsReadLikeItsRepositoryWithItsOwnHead() throws Exception {
        GitRepo main = GitRepo.init(tmp.resolve("app"));
        main.write("index.html", "main\n");
        String onMain = main.commit("main");
        main.git("worktree", "add", "-q", "-b", "feature", tmp.resolve("app-feature").toString());
        GitRepo feature = new GitRepo(tmp.resolve("app-feature"));
        feature.write("index.html", "feature\n");
        String onFeature = feature.commit("feature");
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            SourceSpec.GitSource worktree = new SourceSpec.GitSource(tmp.resolve("app-feature").toString(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    "git+file:app-feature", null);
            assertThat(reader.resolve(worktree, false).commit()).as("the worktree's own HEAD").isEqualTo(onFeature);
            SourceSpec.GitSource mainRef = new SourceSpec.GitSource(tmp.resolve("app-feature").toString(),
                    java.util.Optional.of("main"), java.util.Optional.empty(), java.util.Optional.empty(),
                    "git+file:app-feature?ref=main", null);
            assertThat(reader.resolve(mainRef, false).commit()).as("branches are shared").isEqualTo(onMain);
            assertThat(reader.read(worktree, onFeature, false).tree().entries()).hasSize(1);
        }
    }

    @Test
    void aCommitWhoseTreeHasAGitDirectoryIsRefusedAsGitRefusesToCheckItOut() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("crafted"));
        for (String name : List.of(".git", ".GIT", ".Git")) {
            // only a crafted tree has one (git mktree --missing); git itself refuses to check it out
            repo.sh("b=$(echo hook | git hash-object -w --stdin); inner=$(printf '100644 blob %s\\tconfig\\n' $b | git mktree);"
                    + " sub=$(printf '040000 tree %s\\t" + name + "\\n' $inner | git mktree --missing);"
                    + " t=$(printf '100644 blob %s\\tindex.html\\n040000 tree %s\\tsub\\n' $b $sub | git mktree --missing);"
                    + " c=$(git commit-tree $t -m crafted); git update-ref refs/heads/main $c");
            try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
                assertThatThrownBy(() -> reader.read(new SourceSpec.GitSource(repo.dir.toString(), "main", null), tmp))
                        .isInstanceOfSatisfying(dev.deploy.DeployException.class, e -> assertThat(e.kind())
                                .isEqualTo(dev.deploy.DeployException.Kind.INPUT))
                        .hasMessageContaining("sub/" + name);
            }
        }
    }

    @Test
    void anUnreachableRemoteIsAFetchFailureNotBadInput() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SourceSpec.GitSource remote = new SourceSpec.GitSource("git://127.0.0.1:" + port + "/app.git",
                java.util.Optional.of("main"), java.util.Optional.empty(), java.util.Optional.empty(),
                "git+git://127.0.0.1:" + port + "/app.git?ref=main", null);
        try (GitSourceReader reader = new GitSourceReader(tmp.resolve("cache"))) {
            assertThatThrownBy(() -> reader.resolve(remote, false))
                    .isInstanceOfSatisfying(dev.deploy.DeployException.class, e -> {
                        assertThat(e.kind()).isEqualTo(dev.deploy.DeployException.Kind.HOST);
                        assertThat(e.step()).contains("fetch");
                        assertThat(e.getMessage()).contains("cannot fetch git://127.0.0.1:" + port)
                                .contains("network or server problem");
                    });
            assertThatThrownBy(() -> reader.resolve(remote, true))
                    .hasMessageContaining("needs the network (--offline)");
        }
    }
}
