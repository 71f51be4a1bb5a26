package dev.deploy.python;

import dev.deploy.DeployException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntryPointsTest {

    private static final String ENTRY_POINTS = """
            [console_scripts]
            lnbits = lnbits.server:main
            lnbits-cli = lnbits.commands : cli.main
            # a comment
            uvicorn-dev = uvicorn.main:main [standard, dev]

            [gui_scripts]
            lnbits-gui = lnbits.gui:run

            [pytest11]
            lnbits_plugin = lnbits.testing
            """;

    @Test
    void readsConsoleAndGuiScriptsAndSkipsOtherGroups() {
        EntryPoints entryPoints = EntryPoints.parse("entry_points.txt", ENTRY_POINTS);
        assertThat(entryPoints.consoleScripts()).containsExactly(
                new EntryPoint("console_scripts", "lnbits", "lnbits.server", "main", List.of()),
                new EntryPoint("console_scripts", "lnbits-cli", "lnbits.commands", "cli.main", List.of()),
                new EntryPoint("console_scripts", "uvicorn-dev", "uvicorn.main", "main", List.of("standard", "dev")));
        assertThat(entryPoints.guiScripts()).containsExactly(
                new EntryPoint("gui_scripts", "lnbits-gui", "lnbits.gui", "run", List.of()));
        assertThat(entryPoints.all()).hasSize(4);
    }

    @Test
    void rejectsScriptsWithoutACallable() {
        assertThatThrownBy(() -> EntryPoints.parse("lnbits-1.0.dist-info/entry_points.txt",
                "[console_scripts]\nlnbits = lnbits.server\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("lnbits-1.0.dist-info/entry_points.txt:2: [console_scripts] 'lnbits': a script needs "
                        + "'module:attribute', got lnbits.server");
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> EntryPoints.parse("e.txt", "lnbits = lnbits.server:main\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("e.txt:1: entry before the first [section]");
        assertThatThrownBy(() -> EntryPoints.parse("e.txt", "[console_scripts]\n\nlnbits lnbits.server:main\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("e.txt:3: [console_scripts]: expected 'name = module:attribute'");
        assertThatThrownBy(() -> EntryPoints.parse("e.txt", "[console_scripts]\na = m:f\na = m:g\n"))
                .isInstanceOf(DeployException.class)
                .hasMessage("e.txt:3: [console_scripts] 'a': declared twice");
    }
}
