package dev.deploy.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.cli.DeployCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tarball {@code ./mvnw package} builds ({@code dist/target/deploy-VERSION.tar.gz}), installed the way the README
 * says: unpacked with {@code tar} into a directory of its own, {@code bin/deploy} linked from another directory on
 * the PATH, and run from a third, unrelated working directory with no checkout around it; every one of these paths
 * contains a space. Run by failsafe after the tarball is built ({@code ./mvnw verify}).
 */
class DistributionIT {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final String VERSION = System.getProperty("deploy.version");
    private static final Path TARBALL = Path.of(System.getProperty("deploy.dist.tarball"));

    @TempDir
    static Path tmp;

    private static Path home;
    private static Path linkedLauncher;
    private static Path elsewhere;

    @BeforeAll
    static void install() throws Exception {
        assertThat(TARBALL).as("built by ./mvnw package (dist module)").isRegularFile();
        Path opt = Files.createDirectories(tmp.resolve("opt dir"));
        run(opt, List.of("tar", "-xzf", TARBALL.toString())).requireSuccess("tar -xzf");
        home = opt.resolve("deploy-" + VERSION);
        Path bin = Files.createDirectories(tmp.resolve("usr local/bin"));
        linkedLauncher = Files.createSymbolicLink(bin.resolve("deploy"), home.resolve("bin/deploy"));
        elsewhere = Files.createDirectories(tmp.resolve("some where"));
    }

    @Test
    void versionNamesTheReleaseAndTheCommitItWasBuiltFrom() throws Exception {
        ExecResult version = deploy(elsewhere, "--version").requireSuccess("deploy --version");
        String head = run(REPO, List.of("git", "rev-parse", "--short=7", "HEAD")).requireSuccess("git rev-parse")
                .stdout().strip();
        assertThat(version.stdout().lines().findFirst().orElseThrow())
                .matches("deploy " + VERSION.replace(".", "\\.") + " \\(commit " + head + "(-dirty)?\\)");
        assertThat(version.stdout()).contains("Java ");
    }

    @Test
    void quickstartPlanRunsFromAnotherDirectoryWithTheBundledModules() throws Exception {
        // The quickstart's local root is ../../.deploy-local/quickstart: keep it inside this test's directory.
        Path project = copyTree(REPO.resolve("inventory-examples/quickstart"), tmp.resolve("work/my examples/quickstart"));
        ExecResult plan = deploy(elsewhere, "plan", "--no-color", "--detailed-exitcode",
                project.resolve("inventory.yaml").toString());
        assertThat(plan.exitCode()).as(plan.stderr()).isEqualTo(2);
        assertThat(plan.stdout()).contains("source/static-site.site", "+ service static-site  (recorded only: ");
        assertThat(tmp.resolve("work/.deploy-local")).as("plan changes nothing").doesNotExist();
    }

    @Test
    void ctrlCInTheMiddleOfAnApplySaysSoExits130AndStopsTheProgramsItStarted() throws Exception {
        // A secret command that marks that it runs and then waits: the apply is certainly in the middle of its work
        // when the signal comes, and the command is a program deploy started that must not outlive it.
        Path project = Files.createDirectories(tmp.resolve("work/cut short/modules"));
        Files.writeString(project.resolve("waiter.yaml"), "module: waiter\nsecrets:\n  key: {as: env KEY}\n"
                + "services:\n  waiter:\n    exec: /bin/true\n    secrets: [key]\n");
        Path inventory = Files.writeString(project.resolveSibling("inventory.yaml"), "hosts:\n  me:\n"
                + "    local: {root: state}\n    modules: [waiter]\n    secrets:\n"
                + "      waiter.key: {command: 'echo $$ > pid.tmp && mv pid.tmp pid && exec sleep 600'}\n");
        Path pidFile = project.resolveSibling("pid");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(linkedLauncher.toString(), "apply", inventory.toString())
                .directory(elsewhere.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DEPLOY_"));
        Process deploy = builder.start();
        for (int i = 0; i < 1200 && !Files.exists(pidFile) && deploy.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertThat(pidFile).as("the secret command ran; stderr: %s", Files.readString(err)).exists();
        long command = Long.parseLong(Files.readString(pidFile).strip());

        run(elsewhere, List.of("kill", "-INT", String.valueOf(deploy.pid()))).requireSuccess("kill -INT");
        assertThat(deploy.waitFor(2, TimeUnit.MINUTES)).as("deploy ended after SIGINT").isTrue();

        assertThat(deploy.exitValue()).isEqualTo(130);
        assertThat(Files.readString(err)).startsWith("deploy: interrupted; ").doesNotContain("error");
        for (int i = 0; i < 600 && running(command); i++) {
            Thread.sleep(100);
        }
        assertThat(running(command)).as("the secret command deploy started, pid " + command).isFalse();
    }

    /** Whether process {@code pid} still runs (a zombie left for whoever reaps orphans here does not). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    @Test
    void theReadmesTestCommandAndTheCiEntryPointAnswerHelpInsteadOfStartingTheSetUpAndTheSuite() throws Exception {
        for (String script : List.of("test", ".ci/run")) {
            ExecResult help = run(elsewhere, List.of(REPO.resolve(script).toString(), "--help"));
            assertThat(help.exitCode()).as(script + " --help: " + help.stderr()).isZero();
            assertThat(help.stdout()).as(script + " --help").contains("./test --help")
                    .doesNotContain("== packages").doesNotContain("Apache Maven");
        }
    }

    @Test
    void aProjectInADirectoryWithANonAsciiNameRunsUnderLangC() throws Exception {
        Path project = copyTree(REPO.resolve("inventory-examples/quickstart"), tmp.resolve("work/umlaut/quickstart"));
        // "J\u00fcrgen" as UTF-8 bytes, made and entered by the shell so this JVM's own locale does not matter
        String script = "set -e; mkdir -p \"$(printf 'J\\303\\274rgen')\"; cp -r \"$1\"/. \"$(printf 'J\\303\\274rgen')\"; "
                + "cd \"$(printf 'J\\303\\274rgen')\"; " + "LANG=C LC_ALL=C \"$2\" plan --no-color inventory.yaml; "
                + "LANG=C LC_ALL=C \"$2\" plan --no-color \"$PWD/inventory.yaml\"";
        ExecResult plan = run(project.getParent(), List.of("sh", "-c", script, "sh", project.toString(),
                linkedLauncher.toString()));
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("source/static-site.site");
        assertThat(plan.stderr()).doesNotContain("no such file");
    }

    @Test
    void aMistypedCommandGetsASuggestion() throws Exception {
        ExecResult typo = deploy(elsewhere, "aply");
        assertThat(typo.exitCode()).isEqualTo(3);
        assertThat(typo.stderr()).contains("Did you mean: deploy apply");
    }

    @Test
    void shipsAManPageForEveryCommand() throws Exception {
        List<String> expected = new ArrayList<>();
        addPages(new CommandLine(new DeployCommand()), "deploy", expected);
        Path man1 = home.resolve("share/man/man1");
        List<String> shipped;
        try (Stream<Path> pages = Files.list(man1)) {
            shipped = pages.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(shipped).containsExactlyInAnyOrderElementsOf(expected);
        for (String page : expected) {
            String roff = Files.readString(man1.resolve(page));
            String title = page.replace(".1", "").toUpperCase(Locale.ROOT).replace("-", "\\-");
            assertThat(roff).as(page).contains(".TH \"" + title + "\" \"1\"", "\"deploy " + VERSION.replace("-", "\\-") + "\"");
            assertThat(roff).as(page).contains(".SH \"SYNOPSIS\"", ".SH \"OPTIONS\"");
        }
    }

    /** {@code NAME.1} for {@code command} and, as picocli's generator names them, one page per (nested) subcommand. */
    private static void addPages(CommandLine command, String name, List<String> pages) {
        pages.add(name + ".1");
        command.getSubcommands().forEach((sub, line) -> addPages(line, name + "-" + sub, pages));
    }

    @Test
    void bashCompletionCompletesCommandsAndOptions() throws Exception {
        Path completion = home.resolve("share/bash-completion/completions/deploy");
        String commands = completeWith(completion, "deploy ap", "deploy", "ap", "deploy");
        assertThat(commands.lines()).containsExactly("apply");
        String options = completeWith(completion, "deploy apply --par", "deploy", "--par", "apply");
        assertThat(options.lines()).contains("--parallel");
    }

    @Test
    void shipsTheBundledModulesAndTheSchemas() throws Exception {
        try (Stream<Path> bundled = Files.list(REPO.resolve("modules"))) {
            for (Path module : bundled.toList()) {
                assertThat(home.resolve("modules").resolve(module.getFileName())).hasSameTextualContentAs(module);
            }
        }
        for (String schema : List.of("inventory.schema.json", "module.schema.json")) {
            assertThat(home.resolve("schema").resolve(schema)).hasSameTextualContentAs(REPO.resolve("schema/" + schema));
        }
        assertThat(Files.isExecutable(home.resolve("bin/deploy"))).isTrue();
    }

    @Test
    void anAotCachePutInLibIsUsedOnJava25AndIgnoredSilentlyOnOlderJavas() throws Exception {
        Path jdk25;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jdk25 = jvms.filter(jvm -> jvm.getFileName().toString().matches(".*\\b25\\b.*")
                    && Files.isExecutable(jvm.resolve("bin/java"))).findFirst().orElse(null);
        }
        Assumptions.assumeTrue(jdk25 != null, "no JDK 25 under /usr/lib/jvm");
        Path aot = home.resolve("lib/deploy.aot");
        try {
            run(elsewhere, List.of(jdk25.resolve("bin/java").toString(), "-XX:AOTCacheOutput=" + aot,
                    "-XX:+UseSerialGC", "-Xlog:aot=off", "-cp", home.resolve("lib") + "/*", "dev.deploy.cli.Main",
                    "--version"), Map.of()).requireSuccess("AOT training");
            assertThat(aot).isRegularFile();

            ExecResult on25 = deploy(elsewhere, Map.of("JAVA_HOME", jdk25.toString(),
                    "DEPLOY_JAVA_OPTS", "-Xlog:aot=info"), "--version").requireSuccess("deploy --version on 25");
            assertThat(on25.stdout()).contains("Opened AOT cache " + aot, "Java 25");

            Assumptions.assumeTrue(Runtime.version().feature() < 25, "the build's own Java is 25 or later");
            String older = System.getProperty("java.home");
            ExecResult onOlder = deploy(elsewhere, Map.of("JAVA_HOME", older), "--version")
                    .requireSuccess("deploy --version on " + older);
            assertThat(onOlder.stdout()).contains("Java " + Runtime.version().feature()).doesNotContain("AOT");
            assertThat(onOlder.stderr()).as("no warning about the cache").isEmpty();
        } finally {
            Files.deleteIfExists(aot);
        }
    }

    /** Runs bash's completion function for the words typed so far, as bash would on TAB; prints COMPREPLY. */
    private static String completeWith(Path completion, String line, String command, String word, String previous)
            throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String script = "source \"$1\" 2>/dev/null\n"
                + "COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_deploy '" + command + "' '" + word + "' '" + previous + "' 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return run(elsewhere, List.of("bash", "-c", script, "completion", completion.toString()))
                .requireSuccess("bash completion").stdout();
    }

    private static ExecResult deploy(Path workingDirectory, String... arguments) throws Exception {
        return deploy(workingDirectory, Map.of(), arguments);
    }

    private static ExecResult deploy(Path workingDirectory, Map<String, String> env, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(linkedLauncher.toString()));
        command.addAll(List.of(arguments));
        return run(workingDirectory, command, env);
    }

    private static ExecResult run(Path dir, List<String> command) throws Exception {
        return run(dir, command, Map.of());
    }

    /**
     * Runs a program in {@code dir} without the build's DEPLOY_* settings (plus {@code env}), output to files; at
     * most 2 minutes.
     */
    private static ExecResult run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("DEPLOY_"));
        environment.put("DEPLOY_CACHE", tmp.resolve("cache").toString());
        environment.putAll(env);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 2 minutes");
        }
        return new ExecResult(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Exit code and output of a program run by this test. */
    record ExecResult(int exitCode, String stdout, String stderr) {
        ExecResult requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed with exit code " + exitCode + "\nstdout: " + stdout
                        + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }
}
