package dev.deploy.python;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleScriptTest {

    private static final String VENV_PYTHON = "/var/lib/deploy/store/3f9a0c-venv-lnbits/bin/python";

    @Test
    void writesTheInstallerLauncherWithAShebangForTheVenvPython() {
        EntryPoint lnbits = new EntryPoint("console_scripts", "lnbits", "lnbits.server", "main", List.of());
        assertThat(ConsoleScript.render(lnbits, VENV_PYTHON)).isEqualTo("""
                #!/var/lib/deploy/store/3f9a0c-venv-lnbits/bin/python
                # -*- coding: utf-8 -*-
                import re
                import sys
                from lnbits.server import main
                if __name__ == "__main__":
                    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
                    sys.exit(main())
                """);
    }

    @Test
    void importsTheFirstAttributeAndCallsTheDottedPath() {
        EntryPoint cli = new EntryPoint("console_scripts", "lnbits-cli", "lnbits.commands", "cli.main",
                List.of("dev"));
        assertThat(ConsoleScript.render(cli, VENV_PYTHON))
                .contains("\nfrom lnbits.commands import cli\n")
                .contains("\n    sys.exit(cli.main())\n")
                .doesNotContain("dev");
    }

    @Test
    void execsThroughShWhenThePythonPathHasASpaceOrIsTooLong() {
        assertThat(ConsoleScript.shebang("/opt/my venv/bin/python")).isEqualTo(
                "#!/bin/sh\n'''exec' '/opt/my venv/bin/python' \"$0\" \"$@\"\n' '''");
        String longPath = "/" + "x".repeat(120) + "/bin/python";
        assertThat(ConsoleScript.shebang(longPath)).isEqualTo(
                "#!/bin/sh\n'''exec' " + longPath + " \"$0\" \"$@\"\n' '''");
        String limit = "/" + "y".repeat(123);
        assertThat(ConsoleScript.shebang(limit)).isEqualTo("#!" + limit);
    }
}
