package dev.deploy.host.ssh;

import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An OpenSSH known_hosts file read line by line, so that a message can point at the line that matched. Entries are
 * parsed by sshj, which understands hashed names ({@code |1|salt|hash}), {@code [host]:port} names, patterns and
 * markers.
 */
final class KnownHostsFile {

    /** One host key line: its 1-based number, sshj's view of it, and its text. */
    record Line(int number, KnownHostEntry entry, String text) {

        boolean revoked() {
            return text.stripLeading().startsWith("@revoked");
        }

        boolean certificateAuthority() {
            return text.stripLeading().startsWith("@cert-authority");
        }

        /** SHA256 fingerprint of the key on this line, or a placeholder when the key field cannot be decoded. */
        String fingerprint() {
            String[] fields = text.strip().split("\\s+");
            int keyField = fields[0].startsWith("@") ? 3 : 2;
            try {
                return HostKeys.fingerprint(Base64.getDecoder().decode(fields[keyField]));
            } catch (RuntimeException e) {
                return "(unreadable key)";
            }
        }

        String typeName() {
            return entry.getType().toString();
        }
    }

    private static final Object APPEND_LOCK = new Object();

    private final Path path;

    KnownHostsFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** The host key lines of the file, none when it is missing; comments and lines sshj cannot parse are left out. */
    List<Line> read() throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        OpenSSHKnownHosts.EntryFactory parser = new OpenSSHKnownHosts(Reader.nullReader()).new EntryFactory();
        List<String> texts = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Optional<KnownHostEntry> entry = parse(parser, text);
            if (entry.isPresent()) {
                lines.add(new Line(i + 1, entry.get(), text));
            }
        }
        return lines;
    }

    private static Optional<KnownHostEntry> parse(OpenSSHKnownHosts.EntryFactory parser, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(parser.parseEntry(trimmed));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Appends one line, creating the directory (mode 700) and the file (mode 600) when missing, and adding the line
     * break a hand-edited file may lack at its end.
     */
    void append(String line) throws IOException {
        synchronized (APPEND_LOCK) {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            String prefix = endsWithoutLineBreak() ? "\n" : "";
            Files.writeString(path, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    private boolean endsWithoutLineBreak() throws IOException {
        long size = Files.size(path);
        if (size == 0) {
            return false;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(path)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(size - 1).read(last);
            return last.get(0) != '\n';
        }
    }
}
