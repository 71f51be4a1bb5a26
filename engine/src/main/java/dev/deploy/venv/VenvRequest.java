package dev.deploy.venv;

import dev.deploy.store.Artifact;
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
 * @param extras      extras of the root package
 * @param python      the interpreter to probe on the host, a path or a command name
 * @param wheelhouse  a source tree of extra wheels, when set
 */
public record VenvRequest(String role, String where, Artifact project, Optional<String> packageName,
                          List<String> extras, String python, Optional<Artifact> wheelhouse) {

    public VenvRequest {
        extras = List.copyOf(extras);
    }

    /** {@code MODULE.NAME}. */
    public String label() {
        return role.substring(role.indexOf('/') + 1);
    }
}
