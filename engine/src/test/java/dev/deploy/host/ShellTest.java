package dev.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellTest {

    private static final List<String> HOSTILE = List.of(
            "plain", "", "with space", "it's", "\"double\"", "$(touch /tmp/pwned)", "`id`", "a;b&&c||d",
            "new\nline", "back\\slash", "glob*?[x]", "~user", "-n", "tab\there", "ünïcödé", "'", "''", "$HOME");

    @Test
    void quotedWordsReachTheShellByteForByte() throws Exception {
        LocalConnection sh = new LocalConnection("test");
        for (String word : HOSTILE) {
            CommandResult result = sh.run("printf '%s' " + Shell.quote(word));
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdoutText()).as("round trip of %s", word).isEqualTo(word);
        }
    }

    @Test
    void commandQuotesEachArgumentSeparately() throws Exception {
        CommandResult result = new LocalConnection("test")
                .run(new ShellScript().cmd("printf", "%s|", "a b", "$(x)", "c'd").text());
        assertThat(result.stdoutText()).isEqualTo("a b|$(x)|c'd|");
    }

    @Test
    void safeWordsAreLeftBareAndOthersSingleQuoted() {
        assertThat(Shell.quote("/var/lib/deploy")).isEqualTo("/var/lib/deploy");
        assertThat(Shell.quote("a b")).isEqualTo("'a b'");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.quote("")).isEqualTo("''");
    }

    @Test
    void nulBytesAreRejected() {
        assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void variableNamesAreChecked() {
        assertThatThrownBy(() -> new ShellScript().let("x; rm -rf /", "v")).isInstanceOf(IllegalArgumentException.class);
    }
}
