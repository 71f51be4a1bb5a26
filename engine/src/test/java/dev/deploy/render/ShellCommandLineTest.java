package dev.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command templates run by a shell ({@code healthCheck.command}): every value reaches the program as exactly the
 * text it was, whatever it contains and wherever the author wrote it. Checked by running the rendered command with
 * the real {@code /bin/sh} (and bash when present), which prints its arguments.
 */
class ShellCommandLineTest {

    /** Values a hostile or careless inventory could hold. {@code PWNED} is a file a successful injection creates. */
    static final List<String> HOSTILE = List.of("x; touch PWNED", "$(touch PWNED)", "`touch PWNED`", "a'b", "a\"b",
            "a\\b", "a\nb", "\\", " lead", "trail ", "", "*", "~", "~root", "-n", "a=b", "PATH=/x", "if", "!", "{",
            "$HOME", "${HOME}", "\\$HOME", "'", "\"", "a b\tc", "é ü", "--", "#", "# x", "%s", "&& touch PWNED",
            "| touch PWNED", "> PWNED", "'; touch PWNED; '", "\"; touch PWNED; \"", ")", "$((1+1))", "\r");

    @TempDir
    Path dir;

    private static String render(String template, Map<String, String> values) {
        return ShellCommandLine.render(Pieces.of(template, values), Pieces.SITE);
    }

    /** Runs {@code command} with {@code shell -c} in the test directory; its stdout. */
    private String run(String shell, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell, "-c", command).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + "\n" + out).isZero();
        return out;
    }

    private List<String> shells() {
        List<String> shells = new ArrayList<>(List.of("/bin/sh"));
        if (Files.isExecutable(Path.of("/bin/bash"))) {
            shells.add("/bin/bash");
        }
        return shells;
    }

    private void eachValueArrivesIntact(String template, String prefix, String suffix) throws Exception {
        for (String shell : shells()) {
            for (String value : HOSTILE) {
                String command = render(template, Map.of("v", value));
                assertThat(run(shell, command)).as(shell + ": " + command)
                        .isEqualTo("<" + prefix + value + suffix + ">\n");
            }
        }
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void theIssuesHealthCommandTestsTheValueInsteadOfRunningIt() throws Exception {
        String command = render("test -n ${v}", Map.of("v", "x; touch PWNED"));
        assertThat(command).isEqualTo("test -n 'x; touch PWNED'");
        run("/bin/sh", command);
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void aValueAsAWordOfItsOwnIsExactlyOneArgument() throws Exception {
        eachValueArrivesIntact("printf '<%s>\\n' ${v}", "", "");
    }

    @Test
    void aValueInsideAWordStaysInsideThatWord() throws Exception {
        eachValueArrivesIntact("printf '<%s>\\n' --port=${v}", "--port=", "");
        eachValueArrivesIntact("printf '<%s>\\n' a${v}b", "a", "b");
    }

    @Test
    void aValueInsideTheAuthorsSingleQuotesStaysInThem() throws Exception {
        eachValueArrivesIntact("printf '<%s>\\n' 'pre ${v} post'", "pre ", " post");
    }

    @Test
    void aValueInsideTheAuthorsDoubleQuotesStaysInThem() throws Exception {
        eachValueArrivesIntact("printf '<%s>\\n' \"pre ${v} post\"", "pre ", " post");
    }

    @Test
    void aValueInsideACommandSubstitutionIsOneWordThere() throws Exception {
        List<String> values = HOSTILE.stream().filter(v -> !v.endsWith("\n") && !v.endsWith("\r")).toList();
        for (String shell : shells()) {
            for (String value : values) {
                String command = render("printf '<%s>\\n' \"$(printf '%s' ${v})\"", Map.of("v", value));
                assertThat(run(shell, command)).as(shell + ": " + command).isEqualTo("<" + value + ">\n");
                command = render("x=$(printf '%s' ${v}); printf '<%s>\\n' \"$x\"", Map.of("v", value));
                assertThat(run(shell, command)).as(shell + ": " + command).isEqualTo("<" + value + ">\n");
            }
        }
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void aValueAssignedToAVariableIsThatVariablesValue() throws Exception {
        eachValueArrivesIntact("x=${v}; printf '<%s>\\n' \"$x\"", "", "");
    }

    @Test
    void aValueThatLooksLikeAnAssignmentOrAKeywordIsStillAnArgument() {
        assertThat(render("${v} --version", Map.of("v", "PATH=/tmp"))).isEqualTo("'PATH=/tmp' --version");
        assertThat(render("${v} x", Map.of("v", "if"))).isEqualTo("'if' x");
        assertThat(render("check --port ${v}", Map.of("v", "8080"))).isEqualTo("check --port 8080");
    }

    @Test
    void aListOptionGivesOneArgumentPerItem() throws Exception {
        List<Piece> pieces = Pieces.of("printf '<%s>\\n' @{args} end", Map.of(),
                Map.of("args", List.of("a b", "$(touch PWNED)", "", "'")));
        String command = ShellCommandLine.render(pieces, Pieces.SITE);
        assertThat(run("/bin/sh", command)).isEqualTo("<a b>\n<$(touch PWNED)>\n<>\n<'>\n<end>\n");
        String empty = ShellCommandLine.render(Pieces.of("printf '<%s>\\n' @{args} end", Map.of(),
                Map.of("args", List.of())), Pieces.SITE);
        assertThat(run("/bin/sh", empty)).isEqualTo("<end>\n");
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void aListOptionMustStandAsWholeWords() {
        for (String template : List.of("x --a=@{args}", "x @{args}b", "x '@{args}'", "x \"@{args}\"")) {
            assertThatThrownBy(() -> ShellCommandLine.render(Pieces.of(template, Map.of(),
                    Map.of("args", List.of("a"))), Pieces.SITE))
                    .as(template).isInstanceOf(DeployException.class)
                    .hasMessageContaining("list option ${args} must stand as whole words");
        }
    }

    @Test
    void whereTheShellsReadingCannotBeFollowedAValueIsRefused() {
        Map<String, String> reasons = Map.of(
                "echo \\${v}", "right after a backslash",
                "echo \"\\${v}\"", "right after a backslash",
                "echo x # ${v}", "inside a shell comment",
                "echo `echo ${v}`", "after a `...` command substitution",
                "echo $${HOME:-${v}}", "after a parameter expansion",
                "echo $((${v} + 1))", "after an arithmetic expansion",
                "cat <<EOF\n${v}\nEOF", "after a here-document",
                "echo \"$(case x in x) echo ${v};; esac)\"", "after a case command inside $(...)");
        reasons.forEach((template, reason) -> assertThatThrownBy(() -> render(template, Map.of("v", "x")))
                .as(template).isInstanceOf(DeployException.class)
                .hasMessageContaining("${v} cannot be used " + reason));
    }

    @Test
    void whereTheShellRunsAValueAsCodeEvenThoughItIsQuotedTheValueIsRefused() {
        // bash evaluates a subscript in arithmetic and in variable names, running $(...) in it even from a quoted
        // word: [[ 'a[$(touch PWNED)]' -eq 1 ]] creates PWNED. eval, trap and sh -c run their argument as a script.
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        reasons.put("[[ ${v} -eq 1 ]]", "after a [[...]] conditional");
        reasons.put("test -n x && [[ ${v} == y ]]", "after a [[...]] conditional");
        reasons.put("(( ${v} > 1 ))", "after a ((...)) arithmetic command");
        reasons.put("echo $[ ${v} + 1 ]", "after an arithmetic expansion $[...]");
        reasons.put("let x=${v}", "in an argument of let");
        reasons.put("eval ${v}", "in an argument of eval");
        reasons.put("command eval \"echo ${v}\"", "in an argument of eval");
        reasons.put("trap ${v} EXIT", "in an argument of trap");
        reasons.put("sh -c \"test -f ${v}\"", "in the script of sh -c");
        reasons.put("sudo -u app bash -ec 'test -f ${v}'", "in the script of bash -ec");
        reasons.put("su app -s /bin/sh -c \"test -f ${v}\"", "in the script of su -c");
        reasons.put("find /srv -exec sh -c \"test -f ${v}\" \\;", "in the script of sh -c");
        reasons.put("read ${v} </dev/null", "as a variable name given to read");
        reasons.put("export ${v}=1", "as a variable name given to export");
        reasons.put("printf -v ${v} x", "as a variable name given to printf -v");
        reasons.put("test -v ${v}", "as a variable name given to test -v");
        reasons.put("[ -v ${v} ]", "as a variable name given to [ -v");
        reasons.put("a[${v}]=1", "inside an array subscript");
        reasons.put("x=1 a[${v}]=1 true", "inside an array subscript");
        reasons.put("declare -i n; n=${v}", "after a declaration of an integer variable");
        reasons.forEach((template, reason) -> assertThatThrownBy(() -> render(template, Map.of("v", "x")))
                .as(template).isInstanceOf(DeployException.class)
                .hasMessageContaining("${v} cannot be used " + reason));
    }

    @Test
    void commandsThatOnlyPassAValueOnStillGetItAsData() throws Exception {
        String value = "a[$(touch PWNED)]";
        for (String template : List.of("export X=${v}; printf '<%s>\\n' \"$X\"",
                "sh -c 'printf \"<%s>\\n\" \"$1\"' sh ${v}", "test -n ${v} && printf '<%s>\\n' ${v}",
                "[ -n ${v} ] && printf '<%s>\\n' ${v}", "x=${v}; printf '<%s>\\n' \"$x\"",
                "printf '<%s>\\n' ${v} 2>/dev/null", "echo eval >/dev/null; printf '<%s>\\n' ${v}")) {
            for (String shell : shells()) {
                String command = render(template, Map.of("v", value));
                assertThat(run(shell, command)).as(shell + ": " + command).isEqualTo("<" + value + ">\n");
            }
        }
        assertThat(dir.resolve("PWNED")).doesNotExist();
    }

    @Test
    void aNulCannotBePassedAndTheErrorNamesTheInventoryLine() {
        assertThatThrownBy(() -> render("test -n ${v}", Map.of("v", "a\0b")))
                .isInstanceOf(DeployException.class)
                .hasMessage("modules/m.yaml:9:11: h1: services.m.exec: a NUL character cannot be passed to a shell "
                        + "command; the value comes from inventory.yaml:6:15 (hosts.h1.options.m.v)");
    }

    @Test
    void aNulInTheAuthorsOwnTextIsAnInputError() {
        assertThatThrownBy(() -> render("test -n x\0y", Map.of()))
                .isInstanceOf(DeployException.class).hasMessageContaining("cannot contain a NUL character");
    }

    @Test
    void anUnclosedQuoteIsAnInputError() {
        assertThatThrownBy(() -> render("test -n \"${v}", Map.of("v", "x")))
                .isInstanceOf(DeployException.class).hasMessageContaining("unclosed \"");
    }
}
