package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.FileNames;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads {@code git:} sources with jgit. A local repository is read in place; a remote one is fetched into a bare
 * mirror under the cache directory ({@code git/}), with prune, so a ref deleted upstream is gone from the mirror too.
 * Refs resolve the way {@code git rev-parse} resolves them ({@link #resolve}); the tree comes from one commit only,
 * with names and link targets taken as raw bytes ({@link FileNames}). Every network operation has a deadline
 * ({@value #TIMEOUT_SECONDS} s of silence); a fetch that fails for network reasons is a fetch error, not bad input.
 * Repositories stay open until {@link #close()} because transfers stream blobs from them.
 */
public final class GitSourceReader implements Closeable {

    /** jgit's transport timeout: connect and each read. */
    static final int TIMEOUT_SECONDS = 60;

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern ABBREVIATED_ID = Pattern.compile("[0-9a-f]{4,39}");
    private static final String MIRROR_HEAD = "refs/deploy/HEAD";
    private static final String PINS = "refs/deploy/pins/";

    private final Path cacheDir;
    private final HashCache hashCache;
    private final Map<String, Repository> open = new HashMap<>();
    private final Map<String, Boolean> fetched = new HashMap<>();
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

    /** Resolves {@code spec} now (fetching a remote first) and reads that commit; relative paths against baseDir. */
    public SourceSnapshot read(SourceSpec.GitSource spec, Path baseDir) {
        SourceSpec.GitSource absolute = absolute(spec, baseDir);
        GitResolution resolution = resolve(absolute, false);
        SourceSnapshot snapshot = read(absolute, resolution.commit(), false);
        return new SourceSnapshot(snapshot.tree(), snapshot.contents(), spec.written() + " = " + absolute.displayUrl() + ", "
                + resolution.describe() + " @ " + resolution.commit());
    }

    /**
     * Resolves the source's {@code rev}, {@code ref} or default branch to a commit like {@code git rev-parse}: a full
     * commit id is that commit even when a branch or tag has the same name; then {@code refs/NAME},
     * {@code refs/tags/NAME}, {@code refs/heads/NAME}, {@code refs/remotes/NAME}; then an abbreviated commit id. A
     * remote is fetched first (with prune) unless {@code offline}, so a ref deleted upstream does not resolve from a
     * stale mirror.
     *
     * @throws DeployException input error when nothing matches; fetch error (kind HOST, step {@code fetch}) when the
     *                         repository cannot be reached
     */
    public GitResolution resolve(SourceSpec.GitSource spec, boolean offline) {
        try {
            Repository repo = repository(spec);
            if (spec.rev().isPresent()) {
                ObjectId id = ObjectId.fromString(spec.rev().get());
                if (!hasCommit(repo, id) && !spec.isLocal() && !offline) {
                    fetchAll(repo, spec);
                    if (!hasCommit(repo, id)) {
                        fetchCommit(repo, spec, id);
                    }
                }
                if (!hasCommit(repo, id)) {
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + ": commit " + id.name()
                            + " is not in " + spec.displayUrl() + (offline ? " (or not yet fetched: --offline)" : ""));
                }
                return new GitResolution(id.name(), GitResolution.Kind.COMMIT, id.name());
            }
            if (!spec.isLocal()) {
                if (offline) {
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + ": not pinned in the lock "
                            + "file, and resolving '" + spec.wanted() + "' needs the network (--offline)");
                }
                fetchAll(repo, spec);
            }
            Optional<GitResolution> found = resolveIn(repo, spec);
            if (found.isPresent()) {
                return found.get();
            }
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": "
                    + (spec.ref().isEmpty() ? "the repository has no default branch (HEAD)"
                    : "ref '" + spec.ref().get() + "' is not a branch, tag or commit of the repository"
                    + (spec.isLocal() ? "" : " (as fetched now from " + spec.displayUrl() + ")")));
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": " + GitUrls.redact(e.getMessage()));
        }
    }

    /**
     * Reads {@code commit} of the source's repository (its {@code dir} subdirectory, if given). A commit a remote
     * mirror lacks is fetched (all branches and tags, then the commit by id) unless {@code offline}; once read, it is
     * kept by a ref of the mirror ({@code refs/deploy/pins/ID}) so a prune upstream never loses a pinned commit.
     */
    public SourceSnapshot read(SourceSpec.GitSource spec, String commit, boolean offline) {
        try {
            Repository repo = repository(spec);
            ObjectId commitId = ObjectId.fromString(commit);
            if (!hasCommit(repo, commitId) && !spec.isLocal() && !offline) {
                fetchAll(repo, spec);
                if (!hasCommit(repo, commitId)) {
                    fetchCommit(repo, spec, commitId);
                }
            }
            if (!hasCommit(repo, commitId)) {
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": commit " + commit
                        + " is not in " + spec.displayUrl() + (offline ? " (not in the cache; --offline)" : ""));
            }
            SourceSnapshot snapshot = readCommit(repo, spec, commitId);
            if (!spec.isLocal()) {
                pin(repo, commitId);
            }
            return snapshot;
        } catch (MissingObjectException e) {
            // a partial clone (--filter=blob:none) or a damaged repository: the commit is there, some of its objects
            // are not; deploy reads a repository as it is and never fetches into one it does not own
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": commit " + commit + " needs "
                    + e.getObjectId().name() + ", which " + spec.displayUrl() + " does not have (a partial clone? "
                    + "fetch the missing objects there, e.g. 'git -C REPO fetch --refetch', or give the remote URL)");
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": " + GitUrls.redact(e.getMessage()));
        }
    }

    /** Whether the source's repository (or its mirror) holds {@code commit} now, without fetching. */
    boolean has(SourceSpec.GitSource spec, String commit) {
        try {
            return hasCommit(repository(spec), ObjectId.fromString(commit));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The refs upstream has now ({@code ls-remote}: one query, peeled ids), by full name, including {@code HEAD};
     * a local repository's own refs.
     */
    public Map<String, String> upstreamRefs(SourceSpec.GitSource spec) {
        Map<String, String> refs = new LinkedHashMap<>();
        try {
            Collection<Ref> advertised;
            if (spec.isLocal()) {
                Repository repo = repository(spec);
                advertised = new ArrayList<>(repo.getRefDatabase().getRefs());
                Ref head = repo.exactRef(Constants.HEAD);
                if (head != null) {
                    advertised.add(head);
                }
                for (Ref ref : advertised) {
                    Ref peeled = repo.getRefDatabase().peel(ref);
                    ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
                    if (id != null) {
                        refs.put(ref.getName(), id.name());
                    }
                }
                return refs;
            }
            // with the mirror as the local repository: jgit's dumb-HTTP transport needs one even to list refs
            advertised = Git.wrap(repository(spec)).lsRemote().setRemote(spec.url()).setTimeout(TIMEOUT_SECONDS)
                    .callAsMap().values();
            for (Ref ref : advertised) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id != null && !ref.getName().endsWith("^{}")) {
                    refs.put(ref.getName(), id.name());
                }
            }
            return refs;
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw fetchError(spec, e);
        }
    }

    private Optional<GitResolution> resolveIn(Repository repo, SourceSpec.GitSource spec) throws IOException {
        if (spec.ref().isEmpty()) {
            Ref head = repo.exactRef(spec.isLocal() ? Constants.HEAD : MIRROR_HEAD);
            ObjectId id = head == null ? null : peel(repo, head);
            return id == null ? Optional.empty()
                    : Optional.of(new GitResolution(id.name(), GitResolution.Kind.DEFAULT_BRANCH, Constants.HEAD));
        }
        String name = spec.ref().get();
        if (FULL_ID.matcher(name).matches() && hasCommit(repo, ObjectId.fromString(name))) {
            return Optional.of(new GitResolution(name, GitResolution.Kind.COMMIT, name));
        }
        List<String> candidates = name.startsWith("refs/") ? List.of(name)
                : List.of("refs/" + name, Constants.R_TAGS + name, Constants.R_HEADS + name,
                        Constants.R_REMOTES + name);
        for (String candidate : candidates) {
            Ref ref = repo.exactRef(candidate);
            if (ref == null || (!spec.isLocal() && candidate.startsWith(Constants.R_REMOTES))) {
                continue;
            }
            ObjectId id = peel(repo, ref);
            if (id == null) {
                continue;
            }
            GitResolution.Kind kind = candidate.startsWith(Constants.R_TAGS) ? GitResolution.Kind.TAG
                    : candidate.startsWith(Constants.R_HEADS) ? GitResolution.Kind.BRANCH
                    : candidate.startsWith(Constants.R_REMOTES) ? GitResolution.Kind.REMOTE_BRANCH
                    : GitResolution.Kind.BRANCH;
            return Optional.of(new GitResolution(id.name(), kind, candidate));
        }
        if (ABBREVIATED_ID.matcher(name).matches()) {
            try {
                ObjectId id = repo.resolve(name + "^{commit}");
                if (id != null) {
                    return Optional.of(new GitResolution(id.name(), GitResolution.Kind.ABBREVIATED_COMMIT, name));
                }
            } catch (AmbiguousObjectException e) {
                throw new IOException("'" + name + "' is an ambiguous abbreviated commit id; give all 40 digits");
            } catch (RevisionSyntaxException | IncorrectObjectTypeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The commit a ref points to (tags peeled), or null if it is not a commit. */
    private static ObjectId peel(Repository repo, Ref ref) throws IOException {
        ObjectId id = ref.getObjectId();
        if (id == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id).getId();
        } catch (IncorrectObjectTypeException | MissingObjectException e) {
            return null;
        }
    }

    private static boolean hasCommit(Repository repo, ObjectId id) throws IOException {
        if (!repo.getObjectDatabase().has(id)) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.parseCommit(id);
            return true;
        } catch (IncorrectObjectTypeException | MissingObjectException e) {
            return false;
        }
    }

    private SourceSnapshot readCommit(Repository repo, SourceSpec.GitSource spec, ObjectId commitId)
            throws IOException {
        BlobHashes known = blobHashes.computeIfAbsent(repo.getDirectory().getAbsolutePath(), hashCache::blobs);
        List<TreeEntry> entries = new ArrayList<>();
        Map<String, ObjectId> blobs = new HashMap<>();
        Map<String, byte[]> inheritedAttributes = new HashMap<>();
        String prefix = spec.dir().orElse("");
        try (RevWalk revWalk = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
            RevCommit commit = revWalk.parseCommit(commitId);
            ObjectId root = commit.getTree();
            if (!prefix.isEmpty()) {
                try (TreeWalk sub = TreeWalk.forPath(repo, prefix, commit.getTree())) {
                    if (sub == null || sub.getFileMode(0) != FileMode.TREE) {
                        throw DeployException.input(spec.declaredAt(), null, spec.written() + ": dir '" + prefix
                                + "' is not a directory in commit " + commitId.name());
                    }
                    root = sub.getObjectId(0);
                }
                inheritedAttributes = ancestorAttributes(repo, commit, prefix);
            }
            walk.addTree(root);
            walk.setRecursive(false);
            while (walk.next()) {
                String path = FileNames.decode(walk.getRawPath());
                if (walk.getNameString().equalsIgnoreCase(Constants.DOT_GIT)) {
                    // only a crafted tree has one; git refuses to check it out (verify_path, any case)
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + " @ " + commitId.name()
                            + ": '" + FileNames.display(path) + "' is a .git entry, which git refuses to check out "
                            + "and no source may contain");
                }
                FileMode mode = walk.getFileMode(0);
                TreeEntry entry;
                if (mode == FileMode.TREE) {
                    entry = TreeEntry.directory(path);
                    walk.enterSubtree();
                } else if (mode == FileMode.SYMLINK) {
                    byte[] target = repo.open(walk.getObjectId(0)).getBytes();
                    entry = TreeEntry.symlink(path, FileNames.decode(target));
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    ObjectId blob = walk.getObjectId(0);
                    BlobHashes.Known hash = known.get(blob.name());
                    if (hash == null) {
                        hash = hash(repo, blob);
                        known.put(blob.name(), hash.size(), hash.sha256());
                    }
                    entry = TreeEntry.file(path, mode == FileMode.EXECUTABLE_FILE, hash.size(), hash.sha256());
                    blobs.put(path, blob);
                } else {
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + ": '"
                            + FileNames.display(path) + "' is a submodule, which git sources do not support");
                }
                Optional<String> problem = Tree.problem(entry);
                if (problem.isPresent()) {
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + " @ " + commitId.name()
                            + ": " + problem.get());
                }
                entries.add(entry);
            }
        }
        known.save();
        Contents contents = entry -> repo.open(blobs.get(entry.path())).openStream();
        Tree tree = new Tree(entries);
        LfsPointers.refuse(spec, tree, contents, prefix, inheritedAttributes);
        return new SourceSnapshot(tree, contents, spec.displayUrl() + " @ " + commitId.name());
    }

    /** The {@code .gitattributes} of the directories above {@code dir} (root included), by directory. */
    private static Map<String, byte[]> ancestorAttributes(Repository repo, RevCommit commit, String dir)
            throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        String[] parts = dir.split("/");
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String path = (base.length() == 0 ? "" : base + "/") + ".gitattributes";
            try (TreeWalk file = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (file != null && file.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                    found.put(base.toString(), repo.open(file.getObjectId(0)).getBytes(1 << 20));
                }
            }
            base.append(base.length() == 0 ? "" : "/").append(parts[i]);
        }
        return found;
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

    private Repository repository(SourceSpec.GitSource spec) throws IOException {
        String key = spec.url();
        Repository cached = open.get(key);
        if (cached != null) {
            return cached;
        }
        Repository repo;
        if (spec.isLocal()) {
            Path local = NativePaths.path(spec.url());
            if (!Files.exists(local)) {
                throw new IOException("git repository " + local + " does not exist");
            }
            FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
            try {
                // a working tree's .git is a directory, or a file naming the git directory (a linked worktree, a
                // submodule's checkout): jgit follows it, and a worktree's commondir; else local is a bare repository
                repo = Files.exists(local.resolve(".git"), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        ? builder.setWorkTree(local.toFile()).build()
                        : builder.setGitDir(local.toFile()).build();
            } catch (org.eclipse.jgit.errors.RepositoryNotFoundException e) {
                throw new IOException(local + " is not a git repository");
            }
        } else {
            repo = mirror(spec.url());
        }
        open.put(key, repo);
        return repo;
    }

    /** The bare mirror of a remote repository (created empty on first use). */
    private Repository mirror(String url) throws IOException {
        Path dir = cacheDir.resolve("git").resolve(DigestUtils.sha256Hex(url).substring(0, 24) + ".git");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            } catch (GitAPIException e) {
                throw new IOException("cannot create the mirror " + dir + ": " + e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }

    /** Fetches all branches and tags (and HEAD when the default branch is wanted), pruning deleted ones; once a run. */
    private void fetchAll(Repository repo, SourceSpec.GitSource spec) {
        boolean withHead = spec.ref().isEmpty() && spec.rev().isEmpty();
        Boolean done = fetched.get(spec.url());
        if (done != null && (done || !withHead)) {
            return;
        }
        List<RefSpec> refSpecs = new ArrayList<>(List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
                new RefSpec("+refs/tags/*:refs/tags/*")));
        if (withHead) {
            refSpecs.add(new RefSpec("+HEAD:" + MIRROR_HEAD));
        }
        try (Git git = new Git(repo)) {
            git.fetch().setRemote(spec.url()).setRefSpecs(refSpecs).setRemoveDeletedRefs(true)
                    .setTagOpt(TagOpt.NO_TAGS).setTimeout(TIMEOUT_SECONDS).call();
        } catch (GitAPIException | RuntimeException e) {
            throw fetchError(spec, e);
        }
        fetched.put(spec.url(), withHead);
    }

    /** Fetches one commit by id (servers that allow it, e.g. GitHub: a pinned commit no branch reaches any more). */
    private void fetchCommit(Repository repo, SourceSpec.GitSource spec, ObjectId id) {
        try (Git git = new Git(repo)) {
            git.fetch().setRemote(spec.url()).setRefSpecs(new RefSpec(id.name() + ":" + PINS + id.name()))
                    .setTagOpt(TagOpt.NO_TAGS).setTimeout(TIMEOUT_SECONDS).call();
        } catch (GitAPIException | RuntimeException e) {
            // the server does not give unadvertised commits: reported as "not in the repository" by the caller
        }
    }

    /** Keeps {@code id} reachable in the mirror whatever upstream deletes. */
    private static void pin(Repository repo, ObjectId id) {
        try {
            if (repo.exactRef(PINS + id.name()) == null) {
                RefUpdate update = repo.updateRef(PINS + id.name());
                update.setNewObjectId(id);
                update.forceUpdate();
            }
        } catch (IOException e) {
            // only a later fresh fetch may miss the commit
        }
    }

    /**
     * A failed fetch or ls-remote: "no such repository" is bad input (exit 3); anything else (DNS, refused, timeout,
     * authentication) is a fetch failure, not something the user wrote wrong (exit 1), with the cause named.
     */
    static DeployException fetchError(SourceSpec.GitSource spec, Exception e) {
        Throwable cause = e;
        String detail = e.getMessage();
        while (cause != null) {
            if (cause instanceof NoRemoteRepositoryException || cause instanceof org.eclipse.jgit.api.errors.InvalidRemoteException) {
                return DeployException.input(spec.declaredAt(), null, spec.written() + ": no git repository at "
                        + spec.displayUrl() + " (" + GitUrls.redact(cause.getMessage()) + ")");
            }
            if (cause instanceof java.net.UnknownHostException) {
                detail = "unknown host " + cause.getMessage();
            } else if (cause instanceof java.net.ConnectException || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.net.NoRouteToHostException) {
                detail = cause.getMessage();
            }
            cause = cause.getCause();
        }
        return new DeployException(DeployException.Kind.HOST, null, "fetch", spec.declaredAt(), null,
                spec.written() + ": cannot fetch " + spec.displayUrl() + ": " + GitUrls.redact(detail)
                        + " (network or server problem; no host was changed)", e);
    }

    /** {@code spec} with a relative local repository path made absolute against {@code baseDir}. */
    private static SourceSpec.GitSource absolute(SourceSpec.GitSource spec, Path baseDir) {
        String url = spec.url();
        if (url.startsWith("file://")) {
            url = url.substring("file://".length());
        } else if (!url.startsWith("/") && !url.contains("://") && !url.matches("[^/]+@[^/]+:.*")) {
            url = baseDir.resolve(url).toAbsolutePath().normalize().toString();
        }
        return url.equals(spec.url()) ? spec
                : new SourceSpec.GitSource(url, spec.ref(), spec.rev(), spec.dir(), spec.written(), spec.declaredAt());
    }

    @Override
    public void close() {
        open.values().forEach(Repository::close);
        open.clear();
    }
}
