package dev.deploy.it.local;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Minimal valid pure-Python wheels for tests, and their uv.lock entries. */
public final class MiniWheel {

    private MiniWheel() {
    }

    /**
     * A uv project {@code demo} in {@code dir/app} whose lock pins two local wheels in {@code dir/wheels}: greeter
     * (console script {@code greet}; the project's script {@code demo} is the same) prints {@code message} upper-cased
     * through shout, the lock's last package. Plus {@code dir/modules/app.yaml}: module {@code app}, option
     * {@code source} and the venv {@code app} of it. Returns {@code dir/app}.
     */
    public static Path greeterProject(Path dir, String message) throws Exception {
        Path wheels = dir.resolve("wheels");
        Path shout = write(wheels, "shout", "1.0", Map.of("shout.py", "def shout(s):\n    return s.upper()\n"));
        Path greeter = write(wheels, "greeter", "1.0", Map.of(
                "greeter.py", "from shout import shout\ndef main():\n    print(shout('" + message + "'))\n",
                "greeter-1.0.dist-info/entry_points.txt", "[console_scripts]\ngreet = greeter:main\n"));
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("pyproject.toml"),
                "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n[project.scripts]\ndemo = \"greeter:main\"\n");
        Files.writeString(app.resolve("uv.lock"), "version = 1\nrevision = 3\n\n"
                + "[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n"
                + "dependencies = [{ name = \"greeter\" }]\n"
                + lockEntry("greeter", "1.0", greeter, "{ name = \"shout\" }")
                + lockEntry("shout", "1.0", shout, ""));
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/app.yaml"), """
                module: app
                options:
                  source: {type: source}
                venvs:
                  app:
                    project: ${source}
                """);
        return app;
    }

    /** Writes {@code name-version-py3-none-any.whl} with {@code content}, METADATA, WHEEL and a RECORD of them. */
    public static Path write(Path dir, String name, String version, Map<String, String> content) throws Exception {
        Files.createDirectories(dir);
        String distInfo = name + "-" + version + ".dist-info";
        Map<String, String> files = new LinkedHashMap<>(content);
        files.put(distInfo + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        files.put(distInfo + "/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(bytes);
                zip.closeEntry();
                record.append(file.getKey()).append(",sha256=")
                        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)))
                        .append(',').append(bytes.length).append('\n');
            }
            record.append(distInfo).append("/RECORD,,\n");
            zip.putNextEntry(new ZipEntry(distInfo + "/RECORD"));
            zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return wheel;
    }

    /** A uv.lock {@code [[package]]} entry for a registry package whose one wheel is {@code wheel} (file:// URL). */
    public static String lockEntry(String name, String version, Path wheel, String dependencies) throws Exception {
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "source = { registry = \"https://pypi.example/simple\" }\n"
                + (dependencies.isEmpty() ? "" : "dependencies = [" + dependencies + "]\n")
                + "wheels = [{ url = \"" + wheel.toUri() + "\", hash = \"sha256:"
                + HexFormat.of().formatHex(sha256(Files.readAllBytes(wheel))) + "\" }]\n";
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
