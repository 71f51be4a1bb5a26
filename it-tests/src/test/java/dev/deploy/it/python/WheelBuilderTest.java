package dev.deploy.it.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.python.WheelFilename;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelBuilderTest {

    @TempDir
    Path dir;

    private static Map<String, byte[]> unzip(Path wheel) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(wheel))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private static WheelBuilder sample() {
        return WheelBuilder.of("Tool.Kit", "1.2.0")
                .file("tool_kit/__init__.py", "VERSION = '1.2.0'\n")
                .consoleScript("toolkit", "tool_kit.cli:main")
                .requires("greeting>=1");
    }

    @Test
    void wheelHasNormalizedNameDistInfoAndARecordOfEveryOtherFile() throws Exception {
        BuiltWheel wheel = sample().writeTo(dir);
        assertThat(wheel.filename()).isEqualTo("tool_kit-1.2.0-py3-none-any.whl");
        assertThat(WheelFilename.parse(wheel.filename()).normalizedName()).isEqualTo("tool-kit");

        Map<String, byte[]> entries = unzip(wheel.file());
        assertThat(entries).containsOnlyKeys("tool_kit/__init__.py", "tool_kit-1.2.0.dist-info/METADATA",
                "tool_kit-1.2.0.dist-info/WHEEL", "tool_kit-1.2.0.dist-info/entry_points.txt",
                "tool_kit-1.2.0.dist-info/RECORD");
        assertThat(new String(entries.get("tool_kit-1.2.0.dist-info/entry_points.txt"), StandardCharsets.UTF_8))
                .isEqualTo("[console_scripts]\ntoolkit = tool_kit.cli:main\n");
        assertThat(new String(entries.get("tool_kit-1.2.0.dist-info/METADATA"), StandardCharsets.UTF_8))
                .contains("Name: Tool.Kit\n", "Version: 1.2.0\n", "Requires-Dist: greeting>=1\n");
        assertThat(new String(entries.get("tool_kit-1.2.0.dist-info/WHEEL"), StandardCharsets.UTF_8))
                .contains("Root-Is-Purelib: true\n", "Tag: py3-none-any\n");

        String record = new String(entries.get("tool_kit-1.2.0.dist-info/RECORD"), StandardCharsets.UTF_8);
        String[] lines = record.split("\n");
        assertThat(lines).hasSize(5).endsWith("tool_kit-1.2.0.dist-info/RECORD,,");
        for (int i = 0; i < lines.length - 1; i++) {
            String[] fields = lines[i].split(",");
            byte[] content = entries.get(fields[0]);
            assertThat(fields[1]).as(fields[0]).isEqualTo("sha256="
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(content)));
            assertThat(Long.parseLong(fields[2])).isEqualTo(content.length);
        }
        long installed = entries.values().stream().mapToLong(content -> content.length).sum();
        assertThat(wheel.installedBytes()).isEqualTo(installed);
    }

    @Test
    void sizeAndSha256AreTheFilesAndTheSameInputGivesTheSameBytes() throws Exception {
        BuiltWheel first = sample().writeTo(dir.resolve("a"));
        BuiltWheel second = sample().writeTo(dir.resolve("b"));
        byte[] bytes = Files.readAllBytes(first.file());
        assertThat(first.size()).isEqualTo(bytes.length);
        assertThat(first.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(bytes)));
        assertThat(Files.readAllBytes(second.file())).isEqualTo(bytes);
        assertThat(second.sha256()).isEqualTo(first.sha256());
    }

    @Test
    void aWheelWithoutConsoleScriptsHasNoEntryPointsFileAndKeepsItsTag() throws Exception {
        BuiltWheel wheel = WheelBuilder.of("legacy-shim", "0.3.0").tag("py2.py3-none-any")
                .file("legacy_shim/__init__.py", "").writeTo(dir);
        assertThat(wheel.filename()).isEqualTo("legacy_shim-0.3.0-py2.py3-none-any.whl");
        assertThat(unzip(wheel.file())).doesNotContainKey("legacy_shim-0.3.0.dist-info/entry_points.txt");
    }
}
