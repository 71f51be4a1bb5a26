package dev.deploy.module;

import dev.deploy.source.SourceSpec;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One module file as read: options it declares, modules it imports, values it sets on other options (parsed for
 * the target option's type when a host's graph is known), and the sources, files, venvs and services it contributes,
 * with templates and sources already parsed, and the secrets its services need. Maps keep file order.
 */
public record ModuleDef(String name, Path file, String description, List<ModuleRef> imports,
                        Map<String, OptionDecl> options, Map<String, YamlValue> sets,
                        Map<String, SourceSpec> sources, Map<String, FileDecl> files,
                        Map<String, VenvDecl> venvs, Map<String, ServiceDecl> services,
                        Map<String, SecretDecl> secrets) {

    /** Directory of the module file; relative paths in the module resolve against this. */
    public Path baseDir() {
        return file.toAbsolutePath().getParent();
    }
}
