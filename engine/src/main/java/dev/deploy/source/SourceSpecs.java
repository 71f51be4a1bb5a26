package dev.deploy.source;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Parses the ways a source is written in modules and inventories into a {@link SourceSpec}: {@code path:DIR},
 * {@code {path: DIR, exclude: [...]}}, {@code git:URL#REF} and {@code {git: URL, ref: REF}}. Relative paths are
 * resolved against {@code baseDir} (the directory of the file that wrote them). Malformed references are input
 * errors at the value's location.
 */
public final class SourceSpecs {

    private SourceSpecs() {
    }

    public static SourceSpec parse(YamlValue value, Path baseDir) {
        if (value.isMap()) {
            YamlMap map = value.map().allowOnly(Set.of("path", "exclude", "git", "ref"));
            if (map.get("path").isPresent() == map.get("git").isPresent()) {
                throw value.error("a source has either 'path' or 'git'");
            }
            if (map.get("path").isPresent()) {
                if (map.get("ref").isPresent()) {
                    throw map.key("ref").error("'ref' belongs to git sources");
                }
                List<String> excludes = map.get("exclude").map(YamlValue::stringList).orElse(List.of());
                return new SourceSpec.PathSource(baseDir.resolve(map.require("path").string()).normalize(),
                        excludes, value.location());
            }
            if (map.get("exclude").isPresent()) {
                throw map.key("exclude").error("'exclude' belongs to path sources; a git source is one commit");
            }
            return new SourceSpec.GitSource(map.require("git").string(), map.require("ref").string(),
                    value.location());
        }
        String text = value.string();
        if (text.startsWith("path:")) {
            return new SourceSpec.PathSource(baseDir.resolve(text.substring(5)).normalize(), List.of(),
                    value.location());
        }
        if (text.startsWith("git:")) {
            String rest = text.substring(4);
            int hash = rest.lastIndexOf('#');
            if (hash < 0) {
                throw value.error("a git source needs a ref: git:URL#REF (branch, tag or commit)");
            }
            return new SourceSpec.GitSource(rest.substring(0, hash), rest.substring(hash + 1), value.location());
        }
        throw value.error("expected a source: path:DIR, git:URL#REF, {path: DIR, exclude: [...]} or "
                + "{git: URL, ref: REF}");
    }
}
