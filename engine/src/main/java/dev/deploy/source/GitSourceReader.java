package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads {@code git:} sources with jgit. A local repository is read in place; a remote one is fetched into a bare
 * mirror under the cache directory. The ref is resolved to a commit and the tree comes from that commit only.
 * Repositories stay open until {@link #close()} because transfers stream blobs from them.
 */
public final class GitSourceReader implements Closeable {

    private final Path cacheDir;
    private final HashCache hashCache;
    private final Map<String, Repository> open = new HashMap<>();
    private final Map<String, BlobHashes> blobHashes = new HashMap<>();
    private int blobsHashed;

    /** Mirrors in {@code cacheDir/git/}, blob hashes in {@code cacheDir/hashes/}. */
    public GitSourceReader(Path cacheDir) {
        this(cacheDir, new HashCache(cacheDir.resolve("hashes")));
    }

    public GitSourceReader(Path cacheDir, HashCache hashCache) {
        this.cacheDir = cacheDir;
        this.hashCache = hashCache;
    }

    /** How many blobs this reader has inflated and hashed (the rest came from the hash cache). */
    int blobsHashed() {
        return blobsHashed;
    }

    public SourceSnapshot read(SourceSpec.GitSource spec, Path baseDir) {
        try {
            Repository repo = repository(spec, baseDir);
            BlobHashes known = blobHashes.computeIfAbsent(repo.getDirectory().getAbsolutePath(), hashCache::blobs);
            ObjectId commitId = resolve(repo, spec);
            List<TreeEntry> entries = new ArrayList<>();
            Map<String, ObjectId> blobs = new HashMap<>();
            try (RevWalk revWalk = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
                RevCommit commit = revWalk.parseCommit(commitId);
                walk.addTree(commit.getTree());
                walk.setRecursive(false);
                while (walk.next()) {
                    String path = walk.getPathString();
                    FileMode mode = walk.getFileMode(0);
                    if (mode == FileMode.TREE) {
                        entries.add(TreeEntry.directory(path));
                        walk.enterSubtree();
                    } else if (mode == FileMode.SYMLINK) {
                        byte[] target = repo.open(walk.getObjectId(0)).getBytes();
                        entries.add(TreeEntry.symlink(path, new String(target, StandardCharsets.UTF_8)));
                    } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                        ObjectId blob = walk.getObjectId(0);
                        BlobHashes.Known hash = known.get(blob.name());
                        if (hash == null) {
                            hash = hash(repo, blob);
                            known.put(blob.name(), hash.size(), hash.sha256());
                        }
                        entries.add(TreeEntry.file(path, mode == FileMode.EXECUTABLE_FILE, hash.size(),
                                hash.sha256()));
                        blobs.put(path, blob);
                    } else {
                        throw DeployException.input(spec.declaredAt() + ": " + spec + ": " + path
                                + " is a submodule, which git sources do not support");
                    }
                }
            }
            known.save();
            Contents contents = entry -> repo.open(blobs.get(entry.path())).openStream();
            String origin = "git:" + spec.url() + " " + spec.ref() + " @ " + commitId.name();
            return new SourceSnapshot(new Tree(entries), contents, origin);
        } catch (IOException | GitAPIException e) {
            throw DeployException.input(spec.declaredAt() + ": " + spec + ": " + e.getMessage());
        }
    }

    private BlobHashes.Known hash(Repository repo, ObjectId blob) throws IOException {
        ObjectLoader loader = repo.open(blob);
        String sha;
        try (InputStream in = loader.openStream()) {
            sha = DigestUtils.sha256Hex(in);
        }
        blobsHashed++;
        return new BlobHashes.Known(loader.getSize(), sha);
    }

    private Repository repository(SourceSpec.GitSource spec, Path baseDir) throws IOException, GitAPIException {
        Path local = localPath(spec.url(), baseDir);
        String key = local != null ? local.toString() : spec.url();
        Repository cached = open.get(key);
        if (cached != null) {
            return cached;
        }
        Repository repo;
        if (local != null) {
            if (!Files.exists(local)) {
                throw DeployException.input(spec.declaredAt() + ": git repository " + local + " does not exist");
            }
            FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
            repo = Files.isDirectory(local.resolve(".git"))
                    ? builder.setGitDir(local.resolve(".git").toFile()).build()
                    : builder.setGitDir(local.toFile()).build();
        } else {
            repo = mirror(spec);
        }
        open.put(key, repo);
        return repo;
    }

    /** A bare mirror of a remote repository, fetched when the ref is not a commit it already has. */
    private Repository mirror(SourceSpec.GitSource spec) throws IOException, GitAPIException {
        Path dir = cacheDir.resolve("git").resolve(DigestUtils.sha256Hex(spec.url()).substring(0, 24) + ".git");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
        }
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
        boolean pinnedAndPresent = ObjectId.isId(spec.ref()) && repo.getObjectDatabase().has(ObjectId.fromString(spec.ref()));
        if (!pinnedAndPresent) {
            try (Git git = new Git(repo)) {
                git.fetch().setRemote(spec.url())
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                        .call();
            }
        }
        return repo;
    }

    private static ObjectId resolve(Repository repo, SourceSpec.GitSource spec) throws IOException {
        for (String candidate : List.of(Constants.R_TAGS + spec.ref(), Constants.R_HEADS + spec.ref(),
                Constants.R_REMOTES + "origin/" + spec.ref(), spec.ref())) {
            try {
                ObjectId id = repo.resolve(candidate + "^{commit}");
                if (id != null) {
                    return id;
                }
            } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.IncorrectObjectTypeException ignored) {
                // try the next spelling
            }
        }
        throw DeployException.input(spec.declaredAt() + ": " + spec + ": ref '" + spec.ref()
                + "' is not a branch, tag or commit of the repository");
    }

    /** The local path of a repository given as a path or {@code file://} URL, or null for a remote URL. */
    private static Path localPath(String url, Path baseDir) {
        if (url.startsWith("file://")) {
            return Path.of(url.substring("file://".length()));
        }
        if (url.contains("://") || url.matches("[^/]+@[^/]+:.*")) {
            return null;
        }
        return baseDir.resolve(url).normalize();
    }

    @Override
    public void close() {
        open.values().forEach(Repository::close);
        open.clear();
    }
}
