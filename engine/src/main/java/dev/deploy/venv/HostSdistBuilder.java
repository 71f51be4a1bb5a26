package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.python.LockedPackage;
import dev.deploy.python.PackageNames;
import dev.deploy.python.PackageSource;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.python.WheelFilename;
import dev.deploy.yaml.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Builds an sdist (or a source tree packed like one) into a wheel on a host with {@code python3 -m pip wheel
 * --no-deps} (no index, no build isolation: hosts have no network, so the build backend must be installed there), in
 * one round trip of {@code build-wheel.sh}: the archive goes in on stdin, the wheel comes back base64-encoded on
 * stdout. Built wheels are cached on the controller by sdist hash
 * and target, so each is built once. A failure names the package and what is missing (pip or the build backend).
 */
public final class HostSdistBuilder implements SdistBuilder {

    /** The exits of {@code build-wheel.sh}. */
    enum BuildExit implements HostScript.ExitCode {
        NO_PIP(4), BUILD_FAILED(5), NO_WHEEL(6);

        private final int code;

        BuildExit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    private static final Pattern MISSING_MODULE = Pattern.compile("No module named '([^']+)'");
    private static final Pattern BACKEND = Pattern.compile("Cannot import '([^']+)'");

    private final HostConnection connection;
    private final String interpreter;
    private final TargetEnvironment environment;
    private final Path builtDir;

    public HostSdistBuilder(HostConnection connection, String interpreter, TargetEnvironment environment,
                            Path builtDir) {
        this.connection = connection;
        this.interpreter = interpreter;
        this.environment = environment;
        this.builtDir = builtDir;
    }

    @Override
    public Path build(Supplier<String> what, LockedPackage pkg, Path sdist) {
        String key = DigestUtils.sha256Hex(String.join("\0", "deploy-sdist-build-v1", sha256(sdist), interpreter,
                environment.describe()));
        Path dir = builtDir.resolve(key);
        Path existing = existingWheel(dir);
        if (existing != null) {
            return existing;
        }
        String host = connection.hostName();
        String from = pkg.source().isLocalTree() || pkg.source() instanceof PackageSource.Git ? "its source"
                : "its sdist";
        String step = "build " + pkg.describe() + " from " + from;
        HostScript script = HostScript.load(HostSdistBuilder.class, "build-wheel")
                .with("py", interpreter)
                .with("name", sdist.getFileName().toString());
        CommandResult result;
        try {
            result = connection.run(script.text(), out -> Files.copy(sdist, out));
        } catch (IOException e) {
            throw DeployException.host(host, step, e.getMessage(), e);
        }
        if (!result.ok()) {
            throw DeployException.input(what.get() + ": building it from " + from + " on host " + host + " failed: "
                    + reason(result));
        }
        String[] lines = result.stdoutText().split("\n", 2);
        String wheelName = lines[0].strip();
        WheelFilename filename;
        try {
            filename = WheelFilename.parse(wheelName);
        } catch (IllegalArgumentException e) {
            throw DeployException.host(host, step, "pip made an unexpected file: " + wheelName);
        }
        if (!filename.normalizedName().equals(PackageNames.normalize(pkg.name()))) {
            throw DeployException.host(host, step, "pip made a wheel for another project: " + wheelName);
        }
        byte[] wheel = Base64.getMimeDecoder().decode(lines.length > 1 ? lines[1] : "");
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(builtDir, ".built-", ".part");
            Files.write(temp, wheel);
            Path target = dir.resolve(wheelName);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw DeployException.input("wheel cache " + builtDir + ": cannot store " + wheelName + ": "
                    + e.getMessage());
        }
    }

    private String reason(CommandResult result) {
        String stderr = result.stderr();
        if (result.exitCode() == BuildExit.NO_PIP.code()) {
            return "pip is not installed for " + interpreter + " (install python3-pip on the host, or put a wheel "
                    + "for the package in the venv's wheelhouse)";
        }
        Matcher backend = BACKEND.matcher(stderr);
        if (backend.find()) {
            return "its build backend " + backend.group(1) + " is not installed for " + interpreter
                    + " (install it on the host, or put a wheel in the venv's wheelhouse)";
        }
        Matcher module = MISSING_MODULE.matcher(stderr);
        if (module.find()) {
            return "its build needs the Python module " + module.group(1) + ", which is not installed for "
                    + interpreter + " (install it on the host, or put a wheel in the venv's wheelhouse)";
        }
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "exit code " + result.exitCode() : lines.get(lines.size() - 1);
    }

    private static Path existingWheel(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".whl")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        } catch (IOException e) {
            throw DeployException.input("cannot read " + file + ": " + FileErrors.describe(e));
        }
    }
}
