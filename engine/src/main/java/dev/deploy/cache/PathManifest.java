package dev.deploy.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One store path in the cache ({@code PREFIX/manifests/HASH-NAME.json}): the entries of its {@link Tree}, the same
 * canonical form that names the store path, so a manifest proves itself: {@link #parse} rebuilds the tree and
 * rejects a manifest whose entries do not hash to the store path it claims. The exception is a store path named by
 * its inputs rather than its tree ({@code "addressedBy": "inputs"}: a venv, {@link dev.deploy.store.Artifact#deferred}),
 * whose name no manifest can prove; nothing trusts a manifest's entries for what a host installs anyway (the
 * controller sends the lists from its own tree), they only tell {@link CacheGc} which objects a path uses.
 * Format (JSON, UTF-8, ASCII only):
 * <pre>
 * {"format": "deploy-cache-manifest-v1", "storePath": "HASH-NAME", "treeHash": "SHA256", "addressedBy": "content",
 *  "entries": [{"path": "lib", "type": "directory"},
 *              {"path": "lib/app.py", "type": "file", "executable": false, "size": 812, "sha256": "..."},
 *              {"path": "bin/python", "type": "symlink", "target": "/usr/bin/python3"}]}
 * </pre>
 * Paths and symlink targets are written byte for byte with {@link ManifestNames} (percent-escapes), so names that
 * are not UTF-8 fit; a file's content is the object {@code objects/SHA256.zst}.
 */
public record PathManifest(StorePath storePath, Tree tree) {

    public static final String FORMAT = "deploy-cache-manifest-v1";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static PathManifest of(Artifact artifact) {
        return new PathManifest(artifact.storePath(), artifact.tree());
    }

    /** Whether the store path is named by its tree (else by its inputs, as a venv). */
    public boolean contentAddressed() {
        return StorePath.of(storePath.name(), tree).equals(storePath);
    }

    /** SHA-256 of every file content, each once, in tree order: the objects this path needs. */
    public Set<String> objects() {
        Set<String> objects = new LinkedHashSet<>();
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE) {
                objects.add(entry.sha256());
            }
        }
        return objects;
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeStringField("storePath", storePath.toString());
            json.writeStringField("treeHash", tree.hash());
            json.writeStringField("addressedBy", contentAddressed() ? "content" : "inputs");
            json.writeArrayFieldStart("entries");
            for (TreeEntry entry : tree.entries()) {
                json.writeStartObject();
                json.writeStringField("path", ManifestNames.encode(entry.pathBytes()));
                switch (entry.kind()) {
                    case DIRECTORY -> json.writeStringField("type", "directory");
                    case FILE -> {
                        json.writeStringField("type", "file");
                        json.writeBooleanField("executable", entry.executable());
                        json.writeNumberField("size", entry.size());
                        json.writeStringField("sha256", entry.sha256());
                    }
                    case SYMLINK -> {
                        json.writeStringField("type", "symlink");
                        json.writeStringField("target", ManifestNames.encode(entry.linkTargetBytes()));
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a manifest and checks that its entries hash to the store path it names.
     *
     * @throws IllegalArgumentException when it is not a manifest of this format or does not name its own tree
     */
    public static PathManifest parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + " document");
        }
        String named = root.path("storePath").asText();
        if (!StorePath.isValid(named)) {
            throw new IllegalArgumentException("not a store path: " + named);
        }
        StorePath storePath = StorePath.parse(named);
        List<TreeEntry> entries = new ArrayList<>();
        for (JsonNode node : root.path("entries")) {
            String path = ManifestNames.text(ManifestNames.decode(node.path("path").asText()));
            switch (node.path("type").asText()) {
                case "directory" -> entries.add(TreeEntry.directory(path));
                case "file" -> entries.add(TreeEntry.file(path, node.path("executable").asBoolean(),
                        node.path("size").asLong(), node.path("sha256").asText()));
                case "symlink" -> entries.add(TreeEntry.symlink(path,
                        ManifestNames.text(ManifestNames.decode(node.path("target").asText()))));
                default -> throw new IllegalArgumentException("unknown entry type in " + named + ": "
                        + node.path("type").asText());
            }
        }
        Tree tree = new Tree(entries);
        boolean byInputs = "inputs".equals(root.path("addressedBy").asText());
        if (!byInputs && !StorePath.of(storePath.name(), tree).equals(storePath)) {
            throw new IllegalArgumentException("the entries of " + named + " do not hash to its name");
        }
        return new PathManifest(storePath, tree);
    }
}
