package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.python.EntryPoint;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VenvAssemblerTest {

    private static final VenvAssembler.Target TARGET = new VenvAssembler.Target(
            "/var/lib/deploy/store/abc-venv-demo-1.0", "/usr/bin/python3.11", "3.11.2");
    private static final String SITE = "lib/python3.11/site-packages";

    @TempDir
    Path tmp;

    private final WheelArchives archives = new WheelArchives();

    @AfterEach
    void closeArchives() {
        archives.close();
    }

    @AfterEach
    void removeLinksToTheInterpreter() {
        OutwardLinks.removeUnder(tmp);
    }

    private TestWheel greeter() {
        return new TestWheel("greeter", "1.0")
                .file("greeter/__init__.py", "def main():\n    print('hello from greeter')\n    return 0\n")
                .entryPoints("[console_scripts]\ngreet = greeter:main\n[gui_scripts]\ngreet-gui = greeter:main\n"
                        + "[other.plugins]\nignored = greeter:main\n");
    }

    private Map<String, TreeEntry> entries(VenvAssembler.AssembledVenv venv) {
        return venv.tree().entries().stream().collect(Collectors.toMap(TreeEntry::path, Function.identity()));
    }

    private static String read(VenvAssembler.AssembledVenv venv, String path) throws IOException {
        TreeEntry entry = venv.tree().entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
        try (InputStream in = venv.contents().open(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void installsTheWheelRootIntoSitePackagesWithInstallerRecordAndLaunchers() throws IOException {
        Path wheel = greeter().writeTo(tmp.resolve("wheels"));

        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(TARGET, List.of(wheel), List.of(), archives);

        Map<String, TreeEntry> entries = entries(venv);
        assertThat(entries).containsKeys(SITE + "/greeter/__init__.py", SITE + "/greeter-1.0.dist-info/METADATA",
                "bin/greet", "bin/greet-gui", "pyvenv.cfg");
        assertThat(entries).doesNotContainKey("bin/ignored");
        assertThat(entries.get("bin/greet").executable()).isTrue();
        assertThat(entries.get(SITE + "/greeter/__init__.py").executable()).isFalse();
        assertThat(read(venv, "bin/greet")).startsWith("#!/var/lib/deploy/store/abc-venv-demo-1.0/bin/python\n")
                .contains("from greeter import main");
        assertThat(read(venv, SITE + "/greeter-1.0.dist-info/INSTALLER")).isEqualTo("deploy\n");
        String record = read(venv, SITE + "/greeter-1.0.dist-info/RECORD");
        assertThat(record.lines()).contains("greeter-1.0.dist-info/RECORD,,", "greeter-1.0.dist-info/INSTALLER,"
                + "sha256=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        TestWheel.sha256("deploy\n".getBytes(StandardCharsets.UTF_8))) + ",7");
        assertThat(record.lines()).anyMatch(line -> line.startsWith("../../../bin/greet,sha256="))
                .anyMatch(line -> line.startsWith("greeter/__init__.py,sha256="));
        assertThat(entries.get("bin/python").linkTarget()).isEqualTo("/usr/bin/python3.11");
        assertThat(entries.get("bin/python3").linkTarget()).isEqualTo("python");
        assertThat(entries.get("bin/python3.11").linkTarget()).isEqualTo("python");
        assertThat(read(venv, "pyvenv.cfg")).isEqualTo("""
                home = /usr/bin
                include-system-site-packages = false
                version = 3.11.2
                executable = /usr/bin/python3.11
                """);
    }

    @Test
    void placesDataDirectoriesAndRewritesThePythonShebangOfDataScripts() throws IOException {
        TestWheel wheel = new TestWheel("tool", "2.0");
        wheel.file("tool.py", "X = 1\n")
                .executable(wheel.dataDir() + "/scripts/tool-run", "#!python -u\nimport tool\n")
                .file(wheel.dataDir() + "/scripts/tool-sh", "#!/bin/sh\necho hi\n")
                .file(wheel.dataDir() + "/platlib/tool_native.py", "Y = 2\n")
                .file(wheel.dataDir() + "/purelib/tool_pure.py", "Z = 3\n")
                .file(wheel.dataDir() + "/headers/tool.h", "int x;\n")
                .file(wheel.dataDir() + "/data/share/tool/README", "readme\n");

        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(TARGET, List.of(wheel.writeTo(tmp)), List.of(),
                archives);

        Map<String, TreeEntry> entries = entries(venv);
        assertThat(entries).containsKeys(SITE + "/tool.py", SITE + "/tool_native.py", SITE + "/tool_pure.py",
                "include/site/python3.11/tool/tool.h", "share/tool/README", "bin/tool-run", "bin/tool-sh");
        assertThat(entries.keySet()).noneMatch(path -> path.contains(".data"));
        assertThat(read(venv, "bin/tool-run")).isEqualTo(
                "#!/var/lib/deploy/store/abc-venv-demo-1.0/bin/python -u\nimport tool\n");
        assertThat(read(venv, "bin/tool-sh")).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(entries.get("bin/tool-sh").executable()).isTrue();
        assertThat(read(venv, SITE + "/tool-2.0.dist-info/RECORD")).contains("../../../share/tool/README,sha256=")
                .contains("../../../include/site/python3.11/tool/tool.h,sha256=");
    }

    @Test
    void theSameInputsGiveTheSameTreeWhateverTheWheelOrder() throws IOException {
        Path a = greeter().writeTo(tmp.resolve("a"));
        Path b = new TestWheel("other", "3.0").file("other.py", "").writeTo(tmp.resolve("b"));

        String first = VenvAssembler.assemble(TARGET, List.of(a, b), List.of(), archives).tree().hash();
        String second = VenvAssembler.assemble(TARGET, List.of(b, a), List.of(), archives).tree().hash();
        String elsewhere = VenvAssembler.assemble(new VenvAssembler.Target("/srv/other-venv", "/usr/bin/python3.11",
                "3.11.2"), List.of(a, b), List.of(), archives).tree().hash();

        assertThat(first).isEqualTo(second).isNotEqualTo(elsewhere);
    }

    @Test
    void writesLaunchersForTheProjectsOwnScripts() throws IOException {
        EntryPoint serve = new EntryPoint("console_scripts", "demo-serve", "demo.app", "serve", List.of());

        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(TARGET, List.of(), List.of(serve), archives);

        assertThat(read(venv, "bin/demo-serve")).contains("from demo.app import serve");
        assertThat(entries(venv).get("bin/demo-serve").executable()).isTrue();
        assertThat(entries(venv)).containsKey(SITE);
    }

    @Test
    void refusesAWheelWithAPathThatEscapesTheVenv() throws IOException {
        Path dotdot = new TestWheel("evil", "1.0").file("../../etc/cron.d/evil", "* * * * * root sh\n")
                .writeTo(tmp.resolve("dotdot"));
        Path absolute = new TestWheel("evil", "1.0").file("/etc/passwd", "x\n").writeTo(tmp.resolve("abs"));

        assertThatThrownBy(() -> VenvAssembler.assemble(TARGET, List.of(dotdot), List.of(), archives))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("evil-1.0-py3-none-any.whl")
                .hasMessageContaining("../../etc/cron.d/evil")
                .hasMessageContaining("escape the venv");
        assertThatThrownBy(() -> VenvAssembler.assemble(TARGET, List.of(absolute), List.of(), archives))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("'/etc/passwd'");
    }

    @Test
    void refusesAFileThatDoesNotMatchTheWheelsRecord() throws IOException {
        Path wheel = greeter().lieInRecord("greeter/__init__.py").writeTo(tmp);

        assertThatThrownBy(() -> VenvAssembler.assemble(TARGET, List.of(wheel), List.of(), archives))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("greeter/__init__.py does not match the wheel's RECORD");
    }

    @Test
    void refusesTwoWheelsInstallingTheSameFile() throws IOException {
        Path a = new TestWheel("one", "1.0").file("shared.py", "A\n").writeTo(tmp.resolve("a"));
        Path b = new TestWheel("two", "1.0").file("shared.py", "B\n").writeTo(tmp.resolve("b"));

        assertThatThrownBy(() -> VenvAssembler.assemble(TARGET, List.of(a, b), List.of(), archives))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(SITE + "/shared.py")
                .hasMessageContaining("one-1.0-py3-none-any.whl")
                .hasMessageContaining("two-1.0-py3-none-any.whl");
    }

    @Test
    void theAssembledVenvRunsItsConsoleScriptWithARealPython() throws Exception {
        String python = realPython();
        String version = run(List.of(python, "-c", "import platform; print(platform.python_version())")).strip();
        Path root = tmp.resolve("store/venv");
        VenvAssembler.Target target = new VenvAssembler.Target(root.toString(), python, version);
        Path dependency = new TestWheel("shout", "1.0").file("shout.py", "def shout(s):\n    return s.upper()\n")
                .writeTo(tmp.resolve("w1"));
        Path app = new TestWheel("greeter", "1.0")
                .file("greeter/__init__.py", "import sys\nfrom shout import shout\n"
                        + "def main():\n    print(shout('hello'), sys.prefix)\n    return 0\n")
                .entryPoints("[console_scripts]\ngreet = greeter:main\n").writeTo(tmp.resolve("w2"));

        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(target, List.of(dependency, app), List.of(), archives);
        TreeMaterializer.write(venv.tree(), venv.contents(), root);

        assertThat(run(List.of(root.resolve("bin/greet").toString())).strip()).isEqualTo("HELLO " + root);
        assertThat(run(List.of(root.resolve("bin/python").toString(), "-c",
                "import importlib.metadata as m; print(m.distribution('greeter').read_text('INSTALLER'))")).strip())
                .isEqualTo("deploy");
    }

    @Test
    void installsPipsOwnWheelSoThatPipRunsAndSeesItsInstallerAndRecord() throws Exception {
        String python = realPython();
        String bundled = run(List.of(python, "-c", "import ensurepip, os; "
                + "print(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled'))")).strip();
        List<Path> wheels;
        try (var files = Files.list(Path.of(bundled))) {
            wheels = files.filter(f -> f.getFileName().toString().endsWith(".whl")).sorted().toList();
        }
        Assumptions.assumeTrue(!wheels.isEmpty(), "this python bundles no wheels for ensurepip");
        String version = run(List.of(python, "-c", "import platform; print(platform.python_version())")).strip();
        Path root = tmp.resolve("store/pip-venv");

        long start = System.nanoTime();
        VenvAssembler.AssembledVenv venv = VenvAssembler.assemble(new VenvAssembler.Target(root.toString(), python,
                version), wheels, List.of(), archives);
        long millis = (System.nanoTime() - start) / 1_000_000;
        TreeMaterializer.write(venv.tree(), venv.contents(), root);
        System.out.printf("assembled %d files (%d bytes) from %s in %d ms%n", venv.tree().fileCount(),
                venv.tree().totalBytes(), wheels.stream().map(w -> w.getFileName().toString()).toList(), millis);

        assertThat(run(List.of(root.resolve("bin/pip").toString(), "--version"))).contains(root.toString());
        String listed = run(List.of(root.resolve("bin/python").toString(), "-m", "pip", "list", "-v",
                "--disable-pip-version-check"));
        assertThat(listed).contains("pip").contains("deploy");
        String check = run(List.of(root.resolve("bin/python").toString(), "-c",
                "import importlib.metadata as m, os\n"
                        + "d = m.distribution('pip')\n"
                        + "missing = [str(f) for f in d.files if not os.path.exists(d.locate_file(f))]\n"
                        + "print(len(d.files), missing)"));
        assertThat(check.strip()).endsWith(" []");
    }

    private static String realPython() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0,
                "python3 is needed to run the assembled venv");
        return run(List.of("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))")).strip();
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
