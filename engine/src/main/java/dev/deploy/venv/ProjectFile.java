package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.python.EntryPoint;
import dev.deploy.python.EntryPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploy.python.TomlReader;

/**
 * What deploy reads from a project's {@code pyproject.toml}: {@code [project].name}, {@code version}, and the
 * {@code [project.scripts]} and {@code [project.gui-scripts]} that become launchers in the venv's {@code bin}.
 */
public record ProjectFile(Optional<String> name, Optional<String> version, List<EntryPoint> scripts) {

    public ProjectFile {
        scripts = List.copyOf(scripts);
    }

    /** Parses pyproject text; {@code origin} names the file in messages. */
    public static ProjectFile parse(String origin, String text) {
        ObjectNode toml = TomlReader.parse(origin, text);
        if (!(toml.get("project") instanceof ObjectNode project)) {
            return new ProjectFile(Optional.empty(), Optional.empty(), List.of());
        }
        Optional<String> name = Optional.ofNullable(project.get("name")).filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
        Optional<String> version = Optional.ofNullable(project.get("version")).filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
        List<EntryPoint> scripts = new ArrayList<>();
        scripts.addAll(scripts(origin, project, "scripts", EntryPoints.CONSOLE_SCRIPTS));
        scripts.addAll(scripts(origin, project, "gui-scripts", EntryPoints.GUI_SCRIPTS));
        return new ProjectFile(name, version, scripts);
    }

    private static List<EntryPoint> scripts(String origin, ObjectNode project, String key, String group) {
        JsonNode value = project.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof ObjectNode table)) {
            throw DeployException.input(origin + ": [project." + key + "] must be a table of name = \"module:attr\"");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (var fields = table.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw DeployException.input(origin + ": [project." + key + "] " + field.getKey()
                        + ": expected a \"module:attr\" string");
            }
            sorted.put(field.getKey(), field.getValue().textValue());
        }
        StringBuilder ini = new StringBuilder("[" + group + "]\n");
        sorted.forEach((scriptName, reference) -> ini.append(scriptName).append(" = ").append(reference).append('\n'));
        EntryPoints parsed = EntryPoints.parse(origin + " [project." + key + "]", ini.toString());
        return group.equals(EntryPoints.CONSOLE_SCRIPTS) ? parsed.consoleScripts() : parsed.guiScripts();
    }
}
