package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or absurd input is a one-line input error with its location, never a stack overflow, an exhausted heap,
 * an overflowed number or a run that does not end: nesting, aliases, file size, numbers, and templates that
 * reference each other deeply or explosively.
 */
class ParserLimitsTest {

    @TempDir
    Path tmp;

    private ModuleFixture fixture;

    @BeforeEach
    void module() throws Exception {
        fixture = new ModuleFixture(tmp).module("m", """
                module: m
                options:
                  v: {type: string, default: x}
                  n: {type: int, default: 1}
                  items: {type: list, default: []}
                services:
                  m:
                    exec: /usr/bin/app ${v} ${n} ${items}
                """);
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private String inventoryError(String yaml) throws Exception {
        Path file = Files.writeString(tmp.resolve("inventory.yaml"), yaml);
        try {
            InventoryLoader.load(file);
        } catch (DeployException e) {
            assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage().replace(tmp + "/", "");
        }
        throw new AssertionError("expected an input error");
    }

    @Test
    void anInventoryNested2000DeepIsAnErrorWithItsLocation() throws Exception {
        assertThat(inventoryError(ModuleFixture.host("m", "m.items: " + nested(2000))))
                .isEqualTo("inventory.yaml:6:76: invalid YAML: collections nested deeper than 64 levels");
        StringBuilder block = new StringBuilder("hosts:\n");
        for (int i = 0; i < 2000; i++) {
            block.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        assertThat(inventoryError(block.toString()))
                .startsWith("inventory.yaml:65:").endsWith(": invalid YAML: collections nested deeper than 64 levels");
    }

    @Test
    void aModuleNested2000DeepIsAnErrorWithItsLocation() throws Exception {
        fixture.module("deep", "module: deep\noptions:\n  items: {type: list, default: " + nested(2000) + "}\n");
        assertThat(fixture.errorOf(ModuleFixture.host("deep")))
                .isEqualTo("modules/deep.yaml:3:93: invalid YAML: collections nested deeper than 64 levels");
    }

    @Test
    void aBillionLaughsDocumentIsRefused() throws Exception {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        yaml.append("hosts: {h1: {local: {root: state}}}\n");
        assertThat(inventoryError(yaml.toString())).startsWith("inventory.yaml:").endsWith(": invalid YAML: the document "
                + "expands to more than 16777216 characters and nodes once its aliases are followed");
    }

    @Test
    void manyAliasesOfABigScalarAreRefusedBeforeAnythingWalksThem() throws Exception {
        String big = "x".repeat(1024 * 1024);
        String yaml = ModuleFixture.host("m", "m.v: &big " + big, "m.items: [" + "*big, ".repeat(40) + "*big]");
        assertThat(inventoryError(yaml)).startsWith("inventory.yaml:7:").endsWith(": invalid YAML: the document "
                + "expands to more than 16777216 characters and nodes once its aliases are followed");
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() throws Exception {
        String yaml = ModuleFixture.host("m", "m.v: " + "x".repeat(5 * 1024 * 1024));
        assertThat(inventoryError(yaml)).isEqualTo("inventory.yaml: invalid YAML: the file is larger than 4194304 "
                + "characters");
    }

    @Test
    void aHealthCheckTimeoutOutOfRangeIsAnInputError() throws Exception {
        for (String timeout : new String[] {"99999999999", "0", "86401s", "-5", "1.5"}) {
            fixture.module("h", "module: h\nservices:\n  h:\n    exec: /bin/true\n    healthCheck: {timeout: "
                    + timeout + "}\n");
            assertThat(fixture.errorOf(ModuleFixture.host("h"))).as(timeout)
                    .startsWith("modules/h.yaml:5:28: services.h.healthCheck.timeout: timeout must be ")
                    .contains("from 1 to 86400");
        }
    }

    @Test
    void anIntegerTooLargeForSixtyFourBitsIsAnInputError() throws Exception {
        assertThat(fixture.errorOf(ModuleFixture.host("m", "m.n: 99999999999999999999")))
                .isEqualTo("inventory.yaml:6:12: hosts.h1.options.m.n: integer out of range, got "
                        + "\"99999999999999999999\"");
        assertThat(fixture.errorOf(ModuleFixture.host("m", "m.v: \"99999999999999999999\"", "m.n: \"${v}\"")))
                .isEqualTo("inventory.yaml:7:12: hosts.h1.options.m.n: integer out of range, got "
                        + "\"99999999999999999999\"");
        assertThat(inventoryError("hosts: {h1: {address: a, port: 99999999999999999999}}"))
                .contains("hosts.h1.port: integer out of range");
    }

    @Test
    void integersAreDecimal() throws Exception {
        for (String[] written : new String[][] {{"010", "10"}, {"\"010\"", "10"}, {"-3", "-3"}}) {
            String unit = ModuleFixture.unit(fixture.evaluate(ModuleFixture.host("m", "m.n: " + written[0])), "m");
            assertThat(unit).as(written[0]).contains("ExecStart=/usr/bin/app x " + written[1] + "\n");
        }
    }

    @Test
    void templatesThatExpandExplosivelyAreRefused() throws Exception {
        StringBuilder module = new StringBuilder("module: bomb\noptions:\n  a0: {type: string, default: "
                + "x".repeat(1000) + "}\n");
        for (int i = 1; i < 8; i++) {
            module.append("  a").append(i).append(": {type: string, default: \"")
                    .append(("${a" + (i - 1) + "}").repeat(10)).append("\"}\n");
        }
        fixture.module("bomb", module.toString());
        assertThat(fixture.errorOf(ModuleFixture.host("bomb")))
                .startsWith("modules/bomb.yaml:").contains("the rendered text would be longer than 4194304 characters");
    }

    @Test
    void aReferenceChain3000DeepIsRefusedBeforeTheStackRunsOut() throws Exception {
        StringBuilder module = new StringBuilder("module: chain\noptions:\n");
        for (int i = 0; i < 3000; i++) {
            module.append("  o").append(i).append(": {type: string, default: \"")
                    .append(i == 2999 ? "end" : "${o" + (i + 1) + "}").append("\"}\n");
        }
        fixture.module("chain", module.toString());
        assertThat(fixture.errorOf(ModuleFixture.host("chain")))
                .contains("references nested more than 100 deep (option chain.o0 -> option chain.o1 -> ... -> ");
    }

    @Test
    void anImportChain3000DeepIsRefusedBeforeTheStackRunsOut() throws Exception {
        for (int i = 0; i < 3000; i++) {
            fixture.module("c" + i, "module: c" + i + "\n" + (i == 2999 ? "" : "imports: [c" + (i + 1) + "]\n"));
        }
        assertThat(fixture.errorOf(ModuleFixture.host("c0"))).contains("imports nested more than 100 deep (c0 -> c1 -> ... -> c100)");
    }

    /**
     * Names a module declares become path segments on hosts ({@code roots/file/MODULE.NAME}, a store path's file):
     * one longer than a file name can be (255 bytes) is an input error when the module is read, not a failed
     * activation after the transfer or an internal error.
     */
    @Test
    void namesThatBecomePathSegmentsOnHostsAreBoundedWhenTheModuleIsRead() throws Exception {
        String longName = "n".repeat(300);
        fixture.module("longfile", "module: longfile\nfiles:\n  x: {name: " + longName + ", text: hi}\n");
        assertThat(fixture.errorOf(ModuleFixture.host("longfile")))
                .startsWith("modules/longfile.yaml:3:13: files.x.name: a file name of 300 characters (at most 255)");

        fixture.module("longoption", "module: longoption\noptions:\n  " + longName + ": {type: string, default: x}\n");
        assertThat(fixture.errorOf(ModuleFixture.host("longoption")))
                .startsWith("modules/longoption.yaml:3:3: options." + longName + ": an option name of 300 characters"
                        + " (at most 100: MODULE.OPTION names files on hosts)");

        fixture.module("longsecret", "module: longsecret\nsecrets:\n  " + longName + ": {env: X}\n");
        assertThat(fixture.errorOf(ModuleFixture.host("longsecret")))
                .contains("a secret name of 300 characters (at most 100: MODULE.SECRET names files on hosts)");

        String longModule = "m".repeat(101);
        fixture.module(longModule, "module: " + longModule + "\n");
        assertThat(fixture.errorOf(ModuleFixture.host(longModule)))
                .contains("invalid module name '" + longModule + "'", "at most 100");
    }
}
