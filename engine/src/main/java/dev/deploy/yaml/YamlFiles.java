package dev.deploy.yaml;

import dev.deploy.Location;
import dev.deploy.DeployException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads one YAML document into a {@link YamlValue} tree that keeps line and column of every node. Every file is read
 * within {@link YamlLimits}: size, nesting depth and alias expansion.
 */
public final class YamlFiles {

    private YamlFiles() {
    }

    /** Parses {@code file}; syntax errors, exceeded limits and unreadable files become one-line input errors. */
    public static YamlValue load(Path file) {
        String name = file.toString();
        Location whole = Location.of(file);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(name)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(YamlLimits.MAX_FILE_SIZE)
                .setMaxAliasesForCollections(YamlLimits.MAX_COLLECTION_ALIASES)
                .build();
        try {
            String text = read(file, whole);
            LimitedParser parser = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)));
            Optional<Node> root = new Composer(settings, parser).getSingleNode();
            if (root.isEmpty()) {
                throw DeployException.input(whole, null, "the file is empty");
            }
            return new YamlValue(root.get(), name, "");
        } catch (NoSuchFileException e) {
            throw DeployException.input(whole, null, "no such file");
        } catch (IOException e) {
            throw DeployException.input(whole, null, "cannot read: " + FileErrors.describe(e));
        } catch (LimitedParser.LimitExceeded e) {
            throw DeployException.input(at(name, e.mark), null, "invalid YAML: " + e.getMessage());
        } catch (MarkedYamlEngineException e) {
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            throw DeployException.input(at(name, e.getProblemMark().or(e::getContextMark)), null,
                    "invalid YAML: " + problem);
        } catch (YamlEngineException e) {
            throw DeployException.input(whole, null, "invalid YAML: " + describe(e));
        }
    }

    /**
     * The whole file as text, decoded strictly as UTF-8. Read at once rather than streamed: snakeyaml-engine copies
     * its buffer for every chunk it reads from a {@link java.io.Reader} while one scalar is still open, which made a
     * 4 MiB scalar take a quarter of a minute.
     */
    private static String read(Path file, Location whole) throws IOException {
        byte[] bytes;
        try {
            bytes = dev.deploy.BoundedFiles.read(file, 4L * YamlLimits.MAX_FILE_SIZE);
        } catch (dev.deploy.BoundedFiles.TooLarge e) {
            throw DeployException.input(whole, null, "invalid YAML: " + tooLarge());
        } catch (dev.deploy.BoundedFiles.NotRegular e) {
            throw DeployException.input(whole, null, "cannot read: not a regular file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw DeployException.input(whole, null, "cannot read: not valid UTF-8");
        }
        if (text.codePointCount(0, text.length()) > YamlLimits.MAX_FILE_SIZE) {
            throw DeployException.input(whole, null, "invalid YAML: " + tooLarge());
        }
        return text;
    }

    private static String tooLarge() {
        return "the file is larger than " + YamlLimits.MAX_FILE_SIZE + " characters";
    }

    private static Location at(String file, Optional<Mark> mark) {
        return mark.map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1)).orElse(new Location(file, 0, 0));
    }

    private static String describe(YamlEngineException e) {
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (first.contains("exceeds the limit")) {
            return tooLarge();
        }
        if (first.startsWith("Number of aliases")) {
            return "more than " + YamlLimits.MAX_COLLECTION_ALIASES + " aliases of mappings or lists";
        }
        return first;
    }
}
