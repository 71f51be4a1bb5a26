package dev.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every host script resource parses with {@code sh -n}; values reach scripts as data. */
class HostScriptsTest {

    /** Every {@code *.sh} among the engine's main resources (where {@link HostScript} itself was loaded from). */
    static List<Path> scriptResources() throws IOException, URISyntaxException {
        Path root = Path.of(HostScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyHostScriptParsesWithShDashN() throws Exception {
        List<Path> scripts = scriptResources();
        assertThat(scripts).isNotEmpty();
        return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
            String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor()).as("sh -n %s: %s", script, output).isZero();
        }));
    }

    /**
     * A value given with {@link HostScript#with} must reach the body unchanged: a body that assigns a declared
     * variable (a helper's local named like a parameter) would silently replace the caller's value.
     */
    @TestFactory
    Stream<DynamicTest> noHostScriptAssignsItsOwnParameters() throws Exception {
        return scriptResources().stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            String text = Files.readString(script);
            HostScript parsed = HostScript.of(script.getFileName().toString(), text);
            for (String line : text.split("\n")) {
                String code = line.strip();
                if (code.startsWith("#")) {
                    continue;
                }
                for (String param : parsed.params()) {
                    assertThat(code).as("%s assigns its parameter %s: %s", script.getFileName(), param, line)
                            .doesNotContainPattern("(^|[\\s;&|({])" + param + "=")
                            .doesNotContainPattern("\\bread\\b[^;|&]*\\s" + param + "\\b");
                }
            }
        }));
    }

    @Test
    void hostileValuesReachTheScriptByteForByte() throws Exception {
        String value = "x'; touch /tmp/pwned; echo '$(id)`id`\n\\ \"q\" ${HOME}";
        HostScript script = HostScript.of("test/echo.sh", "# @param v  a value\nprintf '%s' \"$v\"\n").with("v", value);
        CommandResult result = new LocalConnection("test").run(script.text());
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo(value);
    }

    @Test
    void undeclaredAndMissingValuesAreProgrammingErrors() {
        HostScript script = HostScript.of("test/two.sh", "# @param a  one\n# @param b  two\ntrue\n");
        assertThatThrownBy(() -> script.with("c", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares no '# @param c'");
        script.with("a", "1");
        assertThatThrownBy(script::text).isInstanceOf(IllegalStateException.class).hasMessageContaining("b");
    }

    @Test
    void scriptsRunUnderAFixedUmaskWhateverTheCallersIs() throws Exception {
        HostScript script = HostScript.of("test/umask.sh", "umask\n");
        CommandResult result = new LocalConnection("test").run("umask 077\n" + script.text());
        assertThat(result.stdoutText().strip()).isEqualTo("0022");
    }

    @Test
    void declaredExitsAreReadFromTheHeader() {
        HostScript script = HostScript.of("test/exits.sh", "# @exit 4 BASE_GONE a base vanished\n# @exit 3 CORRUPT\n");
        assertThat(script.declaredExits()).containsEntry("BASE_GONE", 4).containsEntry("CORRUPT", 3);
    }
}
