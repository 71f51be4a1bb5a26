package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.python.EntryPoint;
import dev.deploy.python.EntryPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

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
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            throw DeployException.input(origin + ":" + toml.errors().get(0).position().line() + ": invalid TOML: "
                    + toml.errors().get(0).getMessage().lines().findFirst().orElse(""));
        }
        TomlTable project = toml.getTable("project");
        if (project == null) {
            return new ProjectFile(Optional.empty(), Optional.empty(), List.of());
        }
        Optional<String> name = Optional.ofNullable(project.get("name")).filter(String.class::isInstance)
                .map(String.class::cast);
        Optional<String> version = Optional.ofNullable(project.get("version")).filter(String.class::isInstance)
                .map(String.class::cast);
        List<EntryPoint> scripts = new ArrayList<>();
        scripts.addAll(scripts(origin, project, "scripts", EntryPoints.CONSOLE_SCRIPTS));
        scripts.addAll(scripts(origin, project, "gui-scripts", EntryPoints.GUI_SCRIPTS));
        return new ProjectFile(name, version, scripts);
    }

    private static List<EntryPoint> scripts(String origin, TomlTable project, String key, String group) {
        Object value = project.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlTable table)) {
            throw DeployException.input(origin + ": [project." + key + "] must be a table of name = \"module:attr\"");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String scriptName : table.keySet()) {
            Object reference = table.get(List.of(scriptName));
            if (!(reference instanceof String text)) {
                throw DeployException.input(origin + ": [project." + key + "] " + scriptName
                        + ": expected a \"module:attr\" string");
            }
            sorted.put(scriptName, text);
        }
        StringBuilder ini = new StringBuilder("[" + group + "]\n");
        sorted.forEach((scriptName, reference) -> ini.append(scriptName).append(" = ").append(reference).append('\n'));
        EntryPoints parsed = EntryPoints.parse(origin + " [project." + key + "]", ini.toString());
        return group.equals(EntryPoints.CONSOLE_SCRIPTS) ? parsed.consoleScripts() : parsed.guiScripts();
    }
}
