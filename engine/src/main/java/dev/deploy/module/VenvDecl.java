package dev.deploy.module;

import dev.deploy.Location;
import java.util.List;
import java.util.Optional;

/**
 * A Python venv a module declares under {@code venvs:}: built from the {@code uv.lock} of the source that
 * {@code project} references, for each host's Python. Text fields are templates evaluated in the declaring module.
 *
 * @param project    a reference to a source, e.g. {@code ${source}}; its root holds pyproject.toml and uv.lock
 * @param pkg        the root package in uv.lock (default: {@code [project].name} of pyproject.toml)
 * @param extras     extras of the root package to install
 * @param groups     dependency groups of the root package to install (none by default)
 * @param python     the interpreter on the host (default: {@code python3} on the host's PATH)
 * @param wheelhouse a reference to a source holding extra {@code *.whl} files, for packages locked as sdists only
 */
public record VenvDecl(String name, Location location, Template project, Optional<Template> pkg,
                       List<Template> extras, List<Template> groups, Optional<Template> python,
                       Optional<Template> wheelhouse) {
}
