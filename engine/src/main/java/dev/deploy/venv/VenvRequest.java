package dev.deploy.venv;

import dev.deploy.store.Artifact;
import dev.deploy.Location;
import java.util.List;
import java.util.Optional;

/**
 * A venv a host needs, as evaluated from its modules but not yet built: building it needs the host's Python,
 * which only the host's facts tell.
 *
 * @param role        the root's role, {@code venv/MODULE.NAME}
 * @param where       names the declaration in messages, e.g. {@code modules/app.yaml:12:3: venvs.app}
 * @param project     the source tree holding pyproject.toml and uv.lock
 * @param packageName the root package in the lock, when set (else pyproject's {@code [project].name})
 * @param extras      extras of the root package to install
 * @param groups      dependency groups of the root package to install (PEP 735; none by default, like
 *                    {@code uv sync --no-dev})
 * @param python      the interpreter to probe on the host, a path or a command name
 * @param wheelhouse  a source tree of extra wheels, when set
 */
public record VenvRequest(String role, String where, Artifact project, Optional<String> packageName,
                          List<Selected> extras, List<Selected> groups, String python, Optional<Artifact> wheelhouse) {

    /**
     * An extra or group name as the declaration gives it.
     *
     * @param location where it was declared (null when unknown)
     * @param field    the declaration's field, e.g. {@code venvs.app.extras}
     */
    public record Selected(String name, Location location, String field) {

        /** A name declared nowhere in particular (tests, programmatic requests). */
        public static Selected of(String name) {
            return new Selected(name, null, null);
        }
    }

    public VenvRequest {
        extras = List.copyOf(extras);
        groups = List.copyOf(groups);
    }

    /** {@code MODULE.NAME}. */
    public String label() {
        return role.substring(role.indexOf('/') + 1);
    }

    public List<String> extraNames() {
        return extras.stream().map(Selected::name).toList();
    }

    public List<String> groupNames() {
        return groups.stream().map(Selected::name).toList();
    }
}
