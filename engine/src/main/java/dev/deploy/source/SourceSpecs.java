package dev.deploy.source;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * Parses every way a source is written in modules and inventories into a {@link SourceSpec}; the one place source
 * references are read. Relative paths are resolved against {@code baseDir} (the directory of the file that wrote
 * them). A malformed reference is an input error at the value's {@code file:line:column}.
 *
 * <p>String forms follow the URL-like flake reference syntax of Nix ("Flake references" in the {@code nix flake}
 * manual, https://nix.dev/manual/nix/stable/command-ref/new-cli/nix3-flake#flake-references), restricted to what a
 * deployment source needs:
 * <pre>
 * path:DIR                                        a directory as it is now (taken literally, no parameters)
 * github:OWNER/REPO[/REF_OR_REV][?PARAMS]         https://github.com/OWNER/REPO.git (PARAMS: ref, rev, dir, host)
 * gitlab:OWNER/REPO[/REF_OR_REV][?PARAMS]         https://gitlab.com/OWNER/REPO.git; OWNER may hold subgroups
 *                                                 written %2F (PARAMS: ref, rev, dir, host)
 * sourcehut:~OWNER/REPO[/REF_OR_REV][?PARAMS]     https://git.sr.ht/~OWNER/REPO (PARAMS: ref, rev, dir, host)
 * git+https://HOST/PATH[?PARAMS]                  any git URL (also git+http, git+ssh, git+git);
 * git+file:///ABS/PATH[?PARAMS], git+file:REL      a local repository, read in place (PARAMS: ref, rev, dir)
 * git:URL#REF                                     the original form: URL, a local path or user@host:path
 * </pre>
 * A {@code REF_OR_REV} of 40 (or 64) hex digits is a {@code rev}, anything else a {@code ref}, as in Nix; giving it
 * and {@code ?ref=}/{@code ?rev=} both is an error. {@code ref} is a branch or tag name (or {@code refs/...}),
 * checked with git's ref-name rules; {@code rev} a full commit id, which pins the source by itself; without either
 * the repository's default branch is taken. {@code dir} makes a subdirectory of the repository the source's root.
 * Parameter values are percent-decoded; unknown parameters (Nix's {@code submodules}, {@code narHash}, ...) and
 * fragments ({@code #...}) are errors rather than silently ignored.
 *
 * <p>Map forms: {@code {path: DIR, exclude: [PATTERNS], ignoreFiles: [.gitignore, ...]}} and
 * {@code {git: URL, ref: REF, rev: REV, dir: SUBDIR}} (at least one of {@code ref}, {@code rev}).
 */
public final class SourceSpecs {

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final Set<String> FORGE_PARAMS = Set.of("ref", "rev", "dir", "host");
    private static final Set<String> GIT_PARAMS = Set.of("ref", "rev", "dir");
    private static final String FORMS = "path:DIR, github:OWNER/REPO[/REF], gitlab:OWNER/REPO[/REF], "
            + "sourcehut:~OWNER/REPO[/REF], "
            + "git+https://URL?ref=REF, git+file:///PATH?rev=COMMIT, git:URL#REF, {path: DIR, exclude: [...]} or "
            + "{git: URL, ref: REF}";

    private SourceSpecs() {
    }

    /**
     * The source {@code value} describes.
     *
     * @throws dev.deploy.DeployException (input) naming the value's location when it is not a valid reference
     */
    public static SourceSpec parse(YamlValue value, Path baseDir) {
        if (value.isMap()) {
            return parseMap(value, baseDir);
        }
        if (!value.isScalar() || value.isNull()) {
            throw value.error("expected a source: " + FORMS);
        }
        String text = value.string();
        try {
            return parseText(text, value, baseDir);
        } catch (Malformed e) {
            throw value.error("malformed source reference '" + GitUrls.redact(text) + "': "
                    + GitUrls.redact(e.getMessage()));
        }
    }

    private static SourceSpec parseMap(YamlValue value, Path baseDir) {
        YamlMap map = value.map().allowOnly(Set.of("path", "exclude", "ignoreFiles", "git", "ref", "rev", "dir"));
        if (map.get("path").isPresent() == map.get("git").isPresent()) {
            throw value.error("a source has either 'path' or 'git'");
        }
        if (map.get("path").isPresent()) {
            for (String gitOnly : List.of("ref", "rev", "dir")) {
                if (map.get(gitOnly).isPresent()) {
                    throw map.key(gitOnly).error("'" + gitOnly + "' belongs to git sources");
                }
            }
            String dir = map.require("path").string();
            List<String> excludes = map.get("exclude").map(YamlValue::stringList).orElse(List.of());
            for (int i = 0; i < excludes.size(); i++) {
                Optional<String> problem = ExcludeRules.problem(excludes.get(i));
                if (problem.isPresent()) {
                    throw map.require("exclude").list().get(i).error(problem.get());
                }
            }
            List<String> ignoreFiles = map.get("ignoreFiles").map(YamlValue::stringList).orElse(List.of());
            for (int i = 0; i < ignoreFiles.size(); i++) {
                String name = ignoreFiles.get(i);
                if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                    throw map.require("ignoreFiles").list().get(i).error("an ignore file is a file name such as "
                            + ".gitignore or .deployignore, not '" + name + "'");
                }
            }
            return new SourceSpec.PathSource(localPath(baseDir, dir), excludes, ignoreFiles, "path:" + dir,
                    value.location());
        }
        for (String pathOnly : List.of("exclude", "ignoreFiles")) {
            if (map.get(pathOnly).isPresent()) {
                throw map.key(pathOnly).error("'" + pathOnly + "' belongs to path sources; a git source is one commit");
            }
        }
        String url = map.require("git").string();
        Optional<String> ref = map.get("ref").map(YamlValue::string);
        Optional<String> rev = map.get("rev").map(YamlValue::string);
        Optional<String> dir = map.get("dir").map(YamlValue::string);
        if (ref.isEmpty() && rev.isEmpty()) {
            throw value.error("a git source needs 'ref' (branch, tag or commit) or 'rev' (a commit id)");
        }
        try {
            if (ref.isPresent()) {
                checkRefOrCommit(ref.get());
            }
            Optional<String> commit = rev.isPresent() ? Optional.of(checkRev(rev.get())) : Optional.empty();
            Optional<String> subdir = dir.isPresent() ? Optional.of(checkDir(dir.get())) : Optional.empty();
            String written = "{git: " + GitUrls.redact(url) + ref.map(r -> ", ref: " + r).orElse("")
                    + commit.map(r -> ", rev: " + r).orElse("") + subdir.map(d -> ", dir: " + d).orElse("") + "}";
            return new SourceSpec.GitSource(gitUrl(url, baseDir), ref, commit, subdir, written, value.location());
        } catch (Malformed e) {
            throw value.error("malformed git source: " + GitUrls.redact(e.getMessage()));
        }
    }

    private static SourceSpec parseText(String text, YamlValue value, Path baseDir) throws Malformed {
        if (text.startsWith("path:")) {
            String dir = text.substring("path:".length());
            if (dir.isEmpty()) {
                throw new Malformed("path: needs a directory");
            }
            return new SourceSpec.PathSource(localPath(baseDir, dir), List.of(), List.of(), text, value.location());
        }
        if (text.startsWith("github:") || text.startsWith("gitlab:") || text.startsWith("sourcehut:")) {
            return forge(text, value, baseDir);
        }
        if (text.startsWith("git+")) {
            return gitUrlReference(text, value, baseDir);
        }
        if (text.startsWith("git:")) {
            String rest = text.substring(4);
            int hash = rest.lastIndexOf('#');
            if (hash < 0) {
                throw new Malformed("a git: source needs a ref: git:URL#REF (branch, tag or commit)");
            }
            String url = rest.substring(0, hash);
            String ref = rest.substring(hash + 1);
            if (url.isEmpty()) {
                throw new Malformed("no repository before '#'");
            }
            checkRefOrCommit(ref);
            return new SourceSpec.GitSource(gitUrl(url, baseDir), Optional.of(ref), Optional.empty(),
                    Optional.empty(), GitUrls.redact(text), value.location());
        }
        throw new Malformed("expected " + FORMS);
    }

    /** {@code github:}, {@code gitlab:} and {@code sourcehut:} references. */
    private static SourceSpec forge(String text, YamlValue value, Path baseDir) throws Malformed {
        String type = text.substring(0, text.indexOf(':'));
        boolean sourcehut = type.equals("sourcehut");
        String rest = text.substring(type.length() + 1);
        if (rest.contains("#")) {
            throw new Malformed("'#' has no meaning in a source reference; give the ref as the third path part or "
                    + "?ref=");
        }
        int question = rest.indexOf('?');
        Map<String, String> params = question < 0 ? Map.of() : query(rest.substring(question + 1), FORGE_PARAMS);
        String path = question < 0 ? rest : rest.substring(0, question);
        String[] parts = path.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new Malformed("expected " + type + ":" + (sourcehut ? "~" : "") + "OWNER/REPO or "
                    + (sourcehut ? "~" : "") + "OWNER/REPO/REF_OR_REV (a ref containing '/' goes in ?ref=)");
        }
        String owner = type.equals("gitlab") ? decode(parts[0]) : parts[0];
        if (sourcehut && !owner.startsWith("~")) {
            throw new Malformed("'" + owner + "' is not a valid owner: a sourcehut owner is written ~NAME");
        }
        for (String group : (sourcehut ? owner.substring(1) : owner).split("/", -1)) {
            if (!OWNER.matcher(group).matches()) {
                throw new Malformed("'" + owner + "' is not a valid owner");
            }
        }
        String repo = parts[1].endsWith(".git") ? parts[1].substring(0, parts[1].length() - 4) : parts[1];
        if (!REPO.matcher(repo).matches() || repo.equals(".") || repo.equals("..")) {
            throw new Malformed("'" + parts[1] + "' is not a valid repository name");
        }
        Optional<String> ref = Optional.ofNullable(params.get("ref"));
        Optional<String> rev = Optional.ofNullable(params.get("rev"));
        if (parts.length == 3) {
            if (ref.isPresent() || rev.isPresent()) {
                throw new Malformed("the ref or rev is given twice (in the path and as ?ref=/?rev=)");
            }
            String refOrRev = decode(parts[2]);
            if (refOrRev.isEmpty()) {
                throw new Malformed("empty ref after OWNER/REPO/");
            }
            if (FULL_ID.matcher(refOrRev).matches()) {
                rev = Optional.of(refOrRev);
            } else {
                ref = Optional.of(refOrRev);
            }
        }
        String host = params.getOrDefault("host", switch (type) {
            case "github" -> "github.com";
            case "gitlab" -> "gitlab.com";
            default -> "git.sr.ht";
        });
        checkHost(host);
        if (ref.isPresent()) {
            checkRef(ref.get());
        }
        Optional<String> commit = rev.isPresent() ? Optional.of(checkRev(rev.get())) : Optional.empty();
        Optional<String> dir = params.containsKey("dir") ? Optional.of(checkDir(params.get("dir"))) : Optional.empty();
        // sourcehut serves git at https://HOST/~OWNER/REPO (no .git suffix), as Nix's sourcehut fetcher uses it
        String url = "https://" + host + "/" + owner + "/" + repo + (sourcehut ? "" : ".git");
        return new SourceSpec.GitSource(url, ref, commit, dir, text, value.location());
    }

    /** A host name with an optional TCP port (1-65535). */
    private static void checkHost(String host) throws Malformed {
        java.util.regex.Matcher matcher = HOST.matcher(host);
        if (!matcher.matches() || (matcher.group(2) != null
                && !(Integer.parseInt(matcher.group(2).substring(1)) >= 1
                && Integer.parseInt(matcher.group(2).substring(1)) <= 65535))) {
            throw new Malformed("host '" + host + "' is not a host name");
        }
    }

    /** {@code git+SCHEME:...} references. */
    private static SourceSpec gitUrlReference(String text, YamlValue value, Path baseDir) throws Malformed {
        String rest = text.substring(4);
        if (rest.contains("#")) {
            throw new Malformed("'#' has no meaning in a source reference; use ?ref=REF or ?rev=COMMIT");
        }
        int question = rest.indexOf('?');
        Map<String, String> params = question < 0 ? Map.of() : query(rest.substring(question + 1), GIT_PARAMS);
        String url = question < 0 ? rest : rest.substring(0, question);
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        String location;
        switch (scheme) {
            case "https", "http", "ssh", "git" -> {
                if (!url.startsWith(scheme + "://") || url.length() <= scheme.length() + 3
                        || url.charAt(scheme.length() + 3) == '/') {
                    throw new Malformed("expected git+" + scheme + "://HOST/PATH");
                }
                location = url;
            }
            case "file" -> {
                String path = url.substring("file:".length());
                if (path.startsWith("//")) {
                    path = path.substring(2);
                    if (!path.startsWith("/")) {
                        throw new Malformed("expected git+file:///ABSOLUTE/PATH or git+file:RELATIVE/PATH");
                    }
                }
                if (path.isEmpty()) {
                    throw new Malformed("git+file: needs a path");
                }
                location = NativePaths.text(localPath(baseDir, decode(path)));
            }
            default -> throw new Malformed("unsupported scheme '" + scheme + "' (git+https, git+http, git+ssh, "
                    + "git+git, git+file)");
        }
        Optional<String> ref = Optional.ofNullable(params.get("ref"));
        if (ref.isPresent()) {
            checkRef(ref.get());
        }
        Optional<String> rev = params.containsKey("rev") ? Optional.of(checkRev(params.get("rev"))) : Optional.empty();
        Optional<String> dir = params.containsKey("dir") ? Optional.of(checkDir(params.get("dir"))) : Optional.empty();
        return new SourceSpec.GitSource(location, ref, rev, dir, GitUrls.redact(text), value.location());
    }

    /** {@code a=b&c=d}, percent-decoded; unknown or repeated keys are errors. */
    private static Map<String, String> query(String query, Set<String> allowed) throws Malformed {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            throw new Malformed("empty query after '?'");
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Malformed("expected NAME=VALUE in the query, got '" + pair + "'");
            }
            String key = pair.substring(0, eq);
            if (!allowed.contains(key)) {
                List<String> known = new ArrayList<>(allowed);
                known.sort(null);
                throw new Malformed("unsupported parameter '" + key + "' (supported: " + String.join(", ", known)
                        + ")");
            }
            if (params.put(key, decode(pair.substring(eq + 1))) != null) {
                throw new Malformed("parameter '" + key + "' is given twice");
            }
        }
        return params;
    }

    /** Percent-decoding of a URL component (RFC 3986; {@code +} stays {@code +}). */
    private static String decode(String text) throws Malformed {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new Malformed("bad percent escape in '" + text + "'");
                }
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A ref of the {@code git:URL#REF} form: a full commit id, or a ref name. */
    private static void checkRefOrCommit(String ref) throws Malformed {
        if (!FULL_ID.matcher(ref).matches()) {
            checkRef(ref);
        }
    }

    /** A branch or tag name ({@code main}, {@code v1.0}, {@code feature/x}) or a full {@code refs/...} name. */
    private static void checkRef(String ref) throws Malformed {
        String full = ref.startsWith("refs/") ? ref : "refs/heads/" + ref;
        if (ref.isEmpty() || ref.startsWith("-") || !Repository.isValidRefName(full)) {
            throw new Malformed("'" + ref + "' is not a valid git ref name");
        }
    }

    private static String checkRev(String rev) throws Malformed {
        if (!FULL_ID.matcher(rev).matches()) {
            throw new Malformed("rev '" + rev + "' is not a full commit id (40 hex digits)");
        }
        return rev.toLowerCase(Locale.ROOT);
    }

    /** A relative subdirectory without {@code .}/{@code ..} components, without trailing slash. */
    private static String checkDir(String dir) throws Malformed {
        String trimmed = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        if (trimmed.isEmpty() || trimmed.startsWith("/")) {
            throw new Malformed("dir '" + dir + "' must be a relative subdirectory of the repository");
        }
        for (String part : trimmed.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new Malformed("dir '" + dir + "' must be a plain relative path (no '.', '..' or '//')");
            }
        }
        return trimmed;
    }

    /** A repository URL as given, or a local path made absolute against {@code baseDir}. */
    private static String gitUrl(String url, Path baseDir) throws Malformed {
        if (url.startsWith("file://")) {
            return NativePaths.text(localPath(baseDir, decode(url.substring("file://".length()))));
        }
        if (url.contains("://") || url.matches("[^/]+@[^/]+:.*")) {
            return url;
        }
        return NativePaths.text(localPath(baseDir, url));
    }

    /** {@code dir} against {@code baseDir}, by bytes (so a non-ASCII directory works under any locale). */
    private static Path localPath(Path baseDir, String dir) {
        Path base = baseDir.toAbsolutePath();
        if (dir.startsWith("/")) {
            return NativePaths.resolve(Path.of("/"), dir.substring(1)).normalize();
        }
        return NativePaths.resolve(base, dir).normalize();
    }

    /** A malformed reference; the message becomes an input error at the value. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
