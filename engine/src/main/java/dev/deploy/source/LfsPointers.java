package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.FileNames;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;

/**
 * Finds Git LFS pointer files in a tree and refuses the source: a repository whose {@code .gitattributes} routes
 * files through LFS ({@code filter=lfs}) stores only a small pointer in git, and deploying that pointer instead of
 * the content is silently wrong. A file is a pointer when its attributes say {@code filter=lfs} (per-directory
 * {@code .gitattributes}, deeper files and later lines win, as in gitattributes(5)) and its content is a pointer as
 * the Git LFS specification defines it (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md: under 1024 bytes,
 * {@code version https://git-lfs.github.com/spec/v1}, {@code oid sha256:HEX}, {@code size N}). Deploy does not fetch
 * LFS objects; the error says how to get the content.
 */
final class LfsPointers {

    private static final int POINTER_MAX_BYTES = 1024;
    private static final String GITATTRIBUTES = ".gitattributes";
    private static final Pattern POINTER = Pattern.compile(
            "version https://(git-lfs\\.github\\.com|hawser\\.github\\.com)/spec/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*?"
                    + "oid sha256:[0-9a-f]{64}\n(?:[a-z0-9.-]+ [^\n]*\n)*?size [0-9]+\n(?:[a-z0-9.-]+ [^\n]*\n)*");
    private static final int SHOWN = 5;

    private LfsPointers() {
    }

    /** Throws an input error naming the pointer files of {@code tree}. */
    static void refuse(SourceSpec spec, Tree tree, Contents contents) {
        refuse(spec, tree, contents, "", Map.of());
    }

    /**
     * {@code tree} is directory {@code prefix} of a repository ("" for its root); {@code inherited} holds the
     * {@code .gitattributes} texts of the directories above it (by repository-relative directory, "" for the root),
     * which apply to it as well.
     */
    static void refuse(SourceSpec spec, Tree tree, Contents contents, String prefix, Map<String, byte[]> inherited) {
        List<String> pointers;
        try {
            pointers = find(tree, contents, prefix, inherited);
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": cannot read "
                    + GITATTRIBUTES + ": " + e.getMessage());
        }
        if (pointers.isEmpty()) {
            return;
        }
        List<String> shown = pointers.subList(0, Math.min(SHOWN, pointers.size())).stream()
                .map(FileNames::display).toList();
        throw DeployException.input(spec.declaredAt(), null, spec.written() + ": " + pointers.size()
                + " file(s) are Git LFS pointers, not their content (.gitattributes routes them through LFS): "
                + String.join(", ", shown) + (pointers.size() > SHOWN ? ", ..." : "")
                + "; deploy does not fetch LFS objects: check them out with 'git lfs pull' and deploy that working "
                + "tree as a path: source, or stop tracking them with LFS");
    }

    /** Paths (relative to the tree) of the pointer files, in tree order. */
    static List<String> find(Tree tree, Contents contents, String prefix, Map<String, byte[]> inherited)
            throws IOException {
        Map<String, List<AttributesRule>> byDirectory = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : inherited.entrySet()) {
            addRules(byDirectory, file.getKey(), file.getValue());
        }
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() != TreeEntry.Kind.FILE || !isAttributesFile(entry.path())) {
                continue;
            }
            byte[] text;
            try (InputStream in = contents.open(entry)) {
                text = in.readNBytes(1 << 20);
            }
            int slash = entry.path().lastIndexOf('/');
            addRules(byDirectory, join(prefix, slash < 0 ? "" : entry.path().substring(0, slash)), text);
        }
        List<String> pointers = new ArrayList<>();
        if (byDirectory.isEmpty()) {
            return pointers;
        }
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE && entry.size() < POINTER_MAX_BYTES
                    && "lfs".equals(filter(join(prefix, entry.path()), byDirectory)) && isPointer(contents, entry)) {
                pointers.add(entry.path());
            }
        }
        return pointers;
    }

    private static void addRules(Map<String, List<AttributesRule>> byDirectory, String directory, byte[] text)
            throws IOException {
        if (!new String(text, StandardCharsets.UTF_8).contains("lfs")) {
            return;
        }
        AttributesNode node = new AttributesNode();
        node.parse(new ByteArrayInputStream(text));
        byDirectory.put(directory, node.getRules());
    }

    private static String join(String prefix, String path) {
        return prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "/" + path;
    }

    private static boolean isAttributesFile(String path) {
        return path.equals(GITATTRIBUTES) || path.endsWith("/" + GITATTRIBUTES);
    }

    /** The {@code filter} attribute of {@code path}: the last matching rule, deepest file last. */
    private static String filter(String path, Map<String, List<AttributesRule>> byDirectory) {
        String value = null;
        for (Map.Entry<String, List<AttributesRule>> directory : byDirectory.entrySet()) {
            String base = directory.getKey();
            if (!base.isEmpty() && !path.startsWith(base + "/")) {
                continue;
            }
            String relative = base.isEmpty() ? path : path.substring(base.length() + 1);
            for (AttributesRule rule : directory.getValue()) {
                if (!rule.isMatch(relative, false)) {
                    continue;
                }
                for (Attribute attribute : rule.getAttributes()) {
                    if (attribute.getKey().equals("filter")) {
                        value = attribute.getState() == Attribute.State.CUSTOM ? attribute.getValue() : null;
                    }
                }
            }
        }
        return value;
    }

    private static boolean isPointer(Contents contents, TreeEntry entry) throws IOException {
        byte[] bytes;
        try (InputStream in = contents.open(entry)) {
            bytes = in.readNBytes(POINTER_MAX_BYTES);
        }
        return POINTER.matcher(new String(bytes, StandardCharsets.UTF_8)).matches();
    }
}
