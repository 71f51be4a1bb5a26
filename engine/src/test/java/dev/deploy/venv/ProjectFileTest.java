package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.python.EntryPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectFileTest {

    @Test
    void readsNameVersionAndTheProjectsScriptsSortedByName() {
        ProjectFile project = ProjectFile.parse("pyproject.toml", """
                [project]
                name = "lnbits"
                version = "1.0.0"

                [project.scripts]
                lnbits-cli = "lnbits.commands:main"
                lnbits = "lnbits.server:main"

                [project.gui-scripts]
                lnbits-gui = "lnbits.gui:run"
                """);
        assertThat(project.name()).contains("lnbits");
        assertThat(project.version()).contains("1.0.0");
        assertThat(project.scripts()).containsExactly(
                new EntryPoint("console_scripts", "lnbits", "lnbits.server", "main", List.of()),
                new EntryPoint("console_scripts", "lnbits-cli", "lnbits.commands", "main", List.of()),
                new EntryPoint("gui_scripts", "lnbits-gui", "lnbits.gui", "run", List.of()));
    }

    @Test
    void aProjectWithoutAProjectTableHasNoNameAndNoScripts() {
        ProjectFile project = ProjectFile.parse("pyproject.toml", "[tool.uv]\npackage = false\n");
        assertThat(project.name()).isEmpty();
        assertThat(project.scripts()).isEmpty();
    }

    @Test
    void aScriptWithoutAnAttributeIsAnError() {
        assertThatThrownBy(() -> ProjectFile.parse("app/pyproject.toml", """
                [project]
                name = "x"
                [project.scripts]
                x = "x.main"
                """))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("app/pyproject.toml [project.scripts]")
                .hasMessageContaining("'x': a script needs 'module:attribute'");
    }
}
