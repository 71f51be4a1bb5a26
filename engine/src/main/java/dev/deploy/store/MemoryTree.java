package dev.deploy.store;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.codec.digest.DigestUtils;

/** Builds small artifacts from bytes in memory: rendered files, generated units. */
public final class MemoryTree {

    private record Content(byte[] bytes, boolean executable) {
    }

    private final Map<String, Content> files = new LinkedHashMap<>();

    public MemoryTree file(String path, String text, boolean executable) {
        files.put(path, new Content(text.getBytes(StandardCharsets.UTF_8), executable));
        return this;
    }

    /** The artifact: its tree (with the parent directories of every file) and in-memory contents. */
    public Artifact toArtifact(String name, String origin) {
        List<TreeEntry> entries = new ArrayList<>();
        TreeSet<String> dirs = new TreeSet<>();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            entries.add(TreeEntry.file(path, content.executable(), content.bytes().length,
                    DigestUtils.sha256Hex(content.bytes())));
            bytes.put(path, content.bytes());
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                dirs.add(path.substring(0, slash));
            }
        });
        dirs.forEach(dir -> entries.add(TreeEntry.directory(dir)));
        Contents contents = entry -> {
            byte[] data = bytes.get(entry.path());
            if (data == null) {
                throw new FileNotFoundException(entry.path());
            }
            return new ByteArrayInputStream(data);
        };
        return Artifact.of(name, new Tree(entries), contents, origin);
    }
}
