package dev.deploy.yaml;

import dev.deploy.DeployException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads one YAML document into a {@link YamlValue} tree that keeps line and column of every node. */
public final class YamlFiles {

    private YamlFiles() {
    }

    /** Parses {@code file}; syntax errors and unreadable files become one-line input errors. */
    public static YamlValue load(Path file) {
        String name = file.toString();
        LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false).build();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Optional<Node> root = new Compose(settings).composeReader(reader);
            if (root.isEmpty()) {
                throw DeployException.input(name + ": the file is empty");
            }
            return new YamlValue(root.get(), name, "");
        } catch (NoSuchFileException e) {
            throw DeployException.input(name + ": no such file");
        } catch (IOException e) {
            throw DeployException.input(name + ": cannot read: " + e.getMessage());
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String where = mark == null ? name : name + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            throw DeployException.input(where + ": invalid YAML: " + problem);
        } catch (YamlEngineException e) {
            throw DeployException.input(name + ": invalid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
