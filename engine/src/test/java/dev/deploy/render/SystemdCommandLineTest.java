package dev.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ExecStart=} from a command template: each value one argument in systemd's command-line syntax
 * (systemd.service(5), "COMMAND LINES"). The same cases run on a real systemd in {@code UnitInjectionIT}, which
 * reads back the arguments the service got.
 */
class SystemdCommandLineTest {

    private static String render(String template, Map<String, String> values) {
        return SystemdCommandLine.render(Pieces.of(template, values), Pieces.SITE);
    }

    private static String render(String template, String value) {
        return render(template, Map.of("v", value));
    }

    @Test
    void plainValuesStayAsTheyWere() {
        assertThat(render("/usr/bin/python3 -m http.server ${v} --bind 127.0.0.1", "8080"))
                .isEqualTo("/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1");
        assertThat(render("/usr/bin/app --port=${v}", "8080")).isEqualTo("/usr/bin/app --port=8080");
    }

    @Test
    void aValueWithSpacesQuotesOrASemicolonIsOneQuotedArgument() {
        assertThat(render("/bin/echo ${v}", "x; touch /tmp/pwned")).isEqualTo("/bin/echo \"x; touch /tmp/pwned\"");
        assertThat(render("/bin/echo ${v}", ";")).isEqualTo("/bin/echo \";\"");
        assertThat(render("/bin/echo ${v}", "a\"b\\c")).isEqualTo("/bin/echo \"a\\\"b\\\\c\"");
        assertThat(render("/bin/echo ${v}", "it's")).isEqualTo("/bin/echo \"it's\"");
        assertThat(render("/bin/echo ${v}", "")).isEqualTo("/bin/echo \"\"");
    }

    @Test
    void aValueInsideAWordStaysInsideThatWord() {
        assertThat(render("/bin/echo --name=${v}", "a b")).isEqualTo("/bin/echo \"--name=a b\"");
        assertThat(render("/bin/echo \"pre ${v} post\"", "a\"b")).isEqualTo("/bin/echo \"pre a\\\"b post\"");
        assertThat(render("/bin/echo 'it is ${v}'", "x")).isEqualTo("/bin/echo \"it is x\"");
    }

    @Test
    void aValueCannotExpandVariablesOrSpecifiers() {
        assertThat(render("/bin/echo ${v}", "$HOME ${HOME} %n %%")).isEqualTo("/bin/echo \"$$HOME $${HOME} %%n %%%%\"");
        assertThat(render("/bin/echo ${v}", "$HOME")).isEqualTo("/bin/echo \"$$HOME\"");
    }

    @Test
    void theAuthorsOwnVariablesAndQuotesKeepTheirMeaning() {
        assertThat(render("/bin/echo $HOME \"a b\" c\\ d \\; ${v}", "%")).isEqualTo("/bin/echo \"$HOME\" \"a b\" \"c d\" \";\" \"%%\"");
        assertThat(render("-/bin/false ${v}", "x")).isEqualTo("-/bin/false x");
    }

    @Test
    void aValueCannotBecomeAPrefixOfTheCommand() {
        for (String prefix : List.of("-", "@", ":", "+", "!", "|", "!!")) {
            assertThatThrownBy(() -> render("${v}/bin/true", prefix)).as(prefix)
                    .isInstanceOf(DeployException.class)
                    .hasMessage("modules/m.yaml:9:11: h1: services.m.exec: a value cannot start the command with '"
                            + prefix.charAt(0) + "' (systemd would read it as a prefix of ExecStart=); the value "
                            + "comes from inventory.yaml:6:15 (hosts.h1.options.m.v)");
        }
        assertThat(render("-${v}", "/bin/true")).isEqualTo("-/bin/true");
        assertThat(render("${v} -x", "/usr/bin/app")).isEqualTo("/usr/bin/app -x");
    }

    @Test
    void controlCharactersAreRefusedNamingTheInventoryLine() {
        for (String value : List.of("root\rInjectedKey=1", "root\0InjectedKey=1", "a\nb", "a\u0001b", "a\u007fb")) {
            assertThatThrownBy(() -> render("/bin/echo ${v}", value)).as(value)
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("modules/m.yaml:9:11: h1: services.m.exec: control character U+00")
                    .hasMessageEndingWith(" in a command line; the value comes from inventory.yaml:6:15 "
                            + "(hosts.h1.options.m.v)");
        }
    }

    @Test
    void aListOptionGivesOneArgumentPerItemAndMustStandAsWholeWords() {
        Map<String, List<String>> args = Map.of("args", List.of("a b", "$x", "", ";"));
        assertThat(SystemdCommandLine.render(Pieces.of("/bin/echo @{args} end", Map.of(), args), Pieces.SITE))
                .isEqualTo("/bin/echo \"a b\" \"$$x\" \"\" \";\" end");
        assertThat(SystemdCommandLine.render(Pieces.of("/bin/echo @{args}", Map.of(),
                Map.of("args", List.of())), Pieces.SITE)).isEqualTo("/bin/echo");
        for (String template : List.of("/bin/echo --a=@{args}", "/bin/echo @{args}b", "/bin/echo \"@{args}\"")) {
            assertThatThrownBy(() -> SystemdCommandLine.render(Pieces.of(template, Map.of(), args), Pieces.SITE))
                    .as(template).isInstanceOf(DeployException.class)
                    .hasMessageContaining("list option ${args} must stand as whole words");
        }
    }

    @Test
    void whatSystemdWouldReadDifferentlyIsRefused() {
        assertThatThrownBy(() -> render("/bin/a ; /bin/b ${v}", "x")).hasMessageContaining("';' separating commands");
        assertThatThrownBy(() -> render("/bin/a \\n ${v}", "x")).hasMessageContaining("unsupported escape");
        assertThatThrownBy(() -> render("/bin/a \"${v}", "x")).hasMessageContaining("unclosed \"");
        assertThatThrownBy(() -> render("${v}", "")).hasMessageContaining("the command has no executable");
        assertThatThrownBy(() -> render("${v} x", "bin/app")).hasMessageContaining("absolute path or a file name");
    }

    @Test
    void aValueRightAfterTheAuthorsDollarOrInsideTheirBracesCannotNameAnEnvironmentVariable() {
        // systemd unquotes a word before it expands $NAME and ${NAME} in it: "$"${v} would be $HOME, split at blanks.
        for (String template : List.of("/bin/echo \"$\"${v}", "/bin/echo '$'${v}", "/bin/echo $${${v}}",
                "/bin/echo \"$${\"${v}}", "/bin/echo x$${a${v}}", "/bin/echo \"$${\"${v}\"}\"")) {
            assertThatThrownBy(() -> render(template, "HOME")).as(template)
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("${v} cannot be used right after a $ or inside ${...}: systemd would expand "
                            + "it as an environment variable name");
        }
        // The author's $$ is a literal $, and their own complete ${NAME} before a value is theirs.
        assertThat(render("/bin/echo $$${v}", "HOME")).isEqualTo("/bin/echo \"$${v}\"");
        assertThat(render("/bin/echo \"$$\"${v}", "HOME")).isEqualTo("/bin/echo \"$$HOME\"");
        assertThat(render("/bin/echo $${HOME}${v}", "x")).isEqualTo("/bin/echo \"${HOME}x\"");
    }

    @Test
    void aValueThatIsALoneSemicolonCannotBeTheExecutable() {
        // systemd reads a first word that unquotes to ";" as a command separator and runs the next word instead.
        assertThatThrownBy(() -> render("${v} /usr/bin/app", ";")).isInstanceOf(DeployException.class)
                .hasMessageContaining("the executable cannot be \";\"");
        assertThatThrownBy(() -> render("\";\" /usr/bin/app", Map.of())).isInstanceOf(DeployException.class)
                .hasMessageContaining("the executable cannot be \";\"");
    }
}
