package dev.deploy.venv;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A uv.lock git source, {@code git = "https://host/repo?subdirectory=x&rev=v1#<commit>"}: the repository URL, the
 * commit uv resolved (after {@code #}) and the package's subdirectory in it (uv's lock format, {@code
 * crates/uv-resolver/src/lock}: query keys {@code rev}, {@code tag}, {@code branch}, {@code subdirectory}, {@code lfs}).
 *
 * @param repository   the URL without query and fragment
 * @param commit       the full commit id the lock pins
 * @param subdirectory the package's directory in the repository, empty for its root
 * @param requested    the branch, tag or rev the project asked for, for messages; empty when none
 */
record LockGitSource(String repository, String commit, String subdirectory, String requested) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    /** Reads the lock's URL; empty when it pins no full commit id (or the subdirectory leaves the repository). */
    static Optional<LockGitSource> parse(String url) {
        int hash = url.indexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        String commit = url.substring(hash + 1);
        if (!COMMIT.matcher(commit).matches()) {
            return Optional.empty();
        }
        String base = url.substring(0, hash);
        String subdirectory = "";
        String requested = "";
        int query = base.indexOf('?');
        if (query >= 0) {
            for (String pair : base.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "subdirectory" -> subdirectory = value;
                    case "rev", "tag", "branch" -> requested = value;
                    default -> {
                        // lfs and keys of later uv versions do not change which files are built
                    }
                }
            }
            base = base.substring(0, query);
        }
        subdirectory = subdirectory.replaceAll("/+$", "").replaceAll("^\\./", "");
        if (subdirectory.startsWith("/") || subdirectory.equals("..") || subdirectory.startsWith("../")
                || subdirectory.contains("/../") || subdirectory.endsWith("/..")) {
            return Optional.empty();
        }
        return Optional.of(new LockGitSource(base, commit, subdirectory, requested));
    }

    /** {@code URL@abcdef123456 (subdirectory x)}. */
    String describe() {
        return repository + "@" + commit.substring(0, 12) + (subdirectory.isEmpty() ? "" : " (subdirectory "
                + subdirectory + ")");
    }
}
