package dev.deploy.venv;

import dev.deploy.DeployException;
import dev.deploy.python.ConsoleScript;
import dev.deploy.python.EntryPoint;
import dev.deploy.python.EntryPoints;
import dev.deploy.python.PackageNames;
import dev.deploy.python.WheelFilename;
import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Installs wheels into a venv tree the way a wheel installer (pypa/installer, pip) does, without running Python:
 * the root of each wheel goes to {@code site-packages} (purelib and platlib are the same directory in a venv),
 * {@code NAME-VER.data/{scripts,purelib,platlib,headers,data}} go to {@code bin}, {@code site-packages},
 * {@code include/site/pythonX.Y/NAME} and the venv root, a {@code #!python} shebang in a data script becomes the
 * venv's interpreter, {@code console_scripts} and {@code gui_scripts} become launchers in {@code bin}, and each
 * {@code .dist-info} gets {@code INSTALLER} ({@code deploy}) and a {@code RECORD} listing what was installed.
 * Adds {@code bin/python} (a symlink to the host's interpreter), {@code python3}, {@code pythonX.Y} and
 * {@code pyvenv.cfg}. The tree only depends on its inputs (sorted, fixed modes); file contents are read from the
 * wheels on demand. A wheel whose paths would escape the venv, or whose files do not match its own RECORD, is refused.
 */
public final class VenvAssembler {

    /** What the venv is for: where it lives on the host and the interpreter it wraps. */
    public record Target(String venvPath, String interpreter, String pythonVersion) {

        /** {@code X.Y} of the interpreter. */
        public String pythonMinorVersion() {
            String[] parts = pythonVersion.split("\\.");
            return parts[0] + "." + parts[1];
        }

        public String venvPython() {
            return venvPath + "/bin/python";
        }

        public String sitePackages() {
            return "lib/python" + pythonMinorVersion() + "/site-packages";
        }
    }

    /** A venv's file tree and a way to read its files. */
    public record AssembledVenv(Tree tree, Contents contents) {
    }

    /** Where a file's bytes come from: an entry of a wheel, or bytes made here. */
    private sealed interface Source permits FromWheel, Made {
    }

    private record FromWheel(java.nio.file.Path wheel, String entry) implements Source {
    }

    private record Made(byte[] bytes) implements Source {
    }

    /** One installed file: its venv-relative path, contents, executable bit and digest. */
    private record Installed(String path, Source source, boolean executable, long size, byte[] sha256,
                             String owner) {
    }

    private static final String INSTALLER = "deploy\n";

    private final Target target;
    private final WheelArchives archives;
    private final Map<String, Installed> files = new TreeMap<>();
    private final Map<String, String> symlinks = new TreeMap<>();

    private VenvAssembler(Target target, WheelArchives archives) {
        this.target = target;
        this.archives = archives;
    }

    /**
     * Assembles the venv for {@code target} from {@code wheels} (local files, already verified) plus launchers for
     * {@code extraScripts} (the project's own {@code [project.scripts]}, which is not installed itself).
     */
    public static AssembledVenv assemble(Target target, List<java.nio.file.Path> wheels, List<EntryPoint> extraScripts,
                                         WheelArchives archives) {
        VenvAssembler assembler = new VenvAssembler(target, archives);
        for (java.nio.file.Path wheel : wheels) {
            assembler.install(wheel);
        }
        for (EntryPoint script : extraScripts) {
            assembler.add(new Installed("bin/" + checkScriptName(script, "the project"),
                    made(ConsoleScript.render(script, target.venvPython())), true, 0, null, "the project"));
        }
        assembler.addVenvFiles();
        return assembler.toTree();
    }

    private void addVenvFiles() {
        String minor = target.pythonMinorVersion();
        symlinks.put("bin/python", target.interpreter());
        symlinks.put("bin/python3", "python");
        if (!minor.equals("3")) {
            symlinks.put("bin/python" + minor, "python");
        }
        String home = target.interpreter().substring(0, Math.max(1, target.interpreter().lastIndexOf('/')));
        String cfg = "home = " + home + "\n"
                + "include-system-site-packages = false\n"
                + "version = " + target.pythonVersion() + "\n"
                + "executable = " + target.interpreter() + "\n";
        add(new Installed("pyvenv.cfg", made(cfg), false, 0, null, "the venv"));
    }

    private void install(java.nio.file.Path wheelFile) {
        String wheelName = wheelFile.getFileName().toString();
        WheelFilename filename;
        try {
            filename = WheelFilename.parse(wheelName);
        } catch (IllegalArgumentException e) {
            throw DeployException.input("wheel " + wheelName + ": " + e.getMessage());
        }
        ZipFile zip;
        try {
            zip = archives.archive(wheelFile);
        } catch (IOException e) {
            throw DeployException.input("wheel " + wheelName + ": not a readable zip archive: " + e.getMessage());
        }
        List<ZipArchiveEntry> entries = new ArrayList<>();
        for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
            checkEntryName(wheelName, entry);
            if (!entry.isDirectory()) {
                entries.add(entry);
            }
        }
        String distInfo = distInfoDir(wheelName, filename, entries);
        String dataDir = distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data";
        checkWheelVersion(wheelName, zip, distInfo);
        Map<String, String> recordHashes = recordHashes(wheelName, zip, distInfo);

        String site = target.sitePackages();
        String headers = "include/site/python" + target.pythonMinorVersion() + "/" + filename.distribution();
        List<Installed> installed = new ArrayList<>();
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            if (name.equals(distInfo + "/RECORD") || name.equals(distInfo + "/RECORD.jws")
                    || name.equals(distInfo + "/RECORD.p7s") || name.equals(distInfo + "/INSTALLER")) {
                continue;
            }
            String destination;
            boolean script = false;
            if (name.startsWith(dataDir + "/")) {
                String rest = name.substring(dataDir.length() + 1);
                int slash = rest.indexOf('/');
                String scheme = slash < 0 ? rest : rest.substring(0, slash);
                String path = slash < 0 ? "" : rest.substring(slash + 1);
                if (path.isEmpty()) {
                    throw DeployException.input("wheel " + wheelName + ": " + name + ": a file directly in the .data "
                            + "directory has no install scheme");
                }
                switch (scheme) {
                    case "scripts" -> {
                        destination = "bin/" + path;
                        script = true;
                    }
                    case "purelib", "platlib" -> destination = site + "/" + path;
                    case "headers" -> destination = headers + "/" + path;
                    case "data" -> destination = path;
                    default -> throw DeployException.input("wheel " + wheelName + ": " + name + ": unknown install "
                            + "scheme '" + scheme + "' (expected scripts, purelib, platlib, headers or data)");
                }
            } else {
                destination = site + "/" + name;
            }
            installed.add(script ? scriptFile(wheelFile, wheelName, zip, entry, destination, recordHashes)
                    : wheelFile(wheelFile, wheelName, zip, entry, destination, recordHashes));
        }
        ZipArchiveEntry entryPointsEntry = zip.getEntry(distInfo + "/entry_points.txt");
        if (entryPointsEntry != null) {
            EntryPoints entryPoints = EntryPoints.parse(wheelName + ": " + distInfo + "/entry_points.txt",
                    readText(wheelName, zip, entryPointsEntry));
            for (EntryPoint entryPoint : entryPoints.all()) {
                installed.add(new Installed("bin/" + checkScriptName(entryPoint, "wheel " + wheelName),
                        made(ConsoleScript.render(entryPoint, target.venvPython())), true, 0, null, wheelName));
            }
        }
        installed.add(new Installed(site + "/" + distInfo + "/INSTALLER", made(INSTALLER), false, 0, null, wheelName));
        List<Installed> finished = new ArrayList<>();
        for (Installed file : installed) {
            finished.add(file.sha256() == null ? digestMade(file) : file);
        }
        String record = record(site, distInfo, finished);
        finished.add(digestMade(new Installed(site + "/" + distInfo + "/RECORD", made(record), false, 0, null,
                wheelName)));
        finished.forEach(this::add);
    }

    private Installed wheelFile(java.nio.file.Path wheelFile, String wheelName, ZipFile zip, ZipArchiveEntry entry,
                                String destination, Map<String, String> recordHashes) {
        MessageDigest digest = FileCache.digest("sha256");
        long size = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw DeployException.input("wheel " + wheelName + ": cannot read " + entry.getName() + ": "
                    + e.getMessage());
        }
        byte[] sha = digest.digest();
        checkRecord(wheelName, entry.getName(), sha, recordHashes);
        boolean executable = (entry.getUnixMode() & 0111) != 0;
        return new Installed(destination, new FromWheel(wheelFile, entry.getName()), executable, size, sha, wheelName);
    }

    /** A {@code .data/scripts} file; a {@code #!python} first line names the venv's interpreter instead. */
    private Installed scriptFile(java.nio.file.Path wheelFile, String wheelName, ZipFile zip, ZipArchiveEntry entry,
                                 String destination, Map<String, String> recordHashes) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw DeployException.input("wheel " + wheelName + ": cannot read " + entry.getName() + ": "
                    + e.getMessage());
        }
        checkRecord(wheelName, entry.getName(), sha256(bytes), recordHashes);
        byte[] prefix = "#!python".getBytes(StandardCharsets.US_ASCII);
        if (startsWith(bytes, prefix)) {
            int end = indexOf(bytes, (byte) '\n');
            int lineEnd = end < 0 ? bytes.length : end;
            String rest = new String(bytes, prefix.length, lineEnd - prefix.length, StandardCharsets.UTF_8);
            if (rest.startsWith("w")) {
                rest = rest.substring(1);
            }
            rest = rest.stripTrailing();
            String shebang = ConsoleScript.shebang(target.venvPython()) + (rest.isEmpty() ? "" : rest) + "\n";
            byte[] head = shebang.getBytes(StandardCharsets.UTF_8);
            int tailStart = end < 0 ? bytes.length : end + 1;
            byte[] out = new byte[head.length + bytes.length - tailStart];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(bytes, tailStart, out, head.length, bytes.length - tailStart);
            bytes = out;
        }
        return new Installed(destination, new Made(bytes), true, bytes.length, sha256(bytes), wheelName);
    }

    private static void checkRecord(String wheelName, String entry, byte[] sha, Map<String, String> recordHashes) {
        String recorded = recordHashes.get(entry);
        if (recorded != null && recorded.startsWith("sha256=")) {
            String actual = "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha);
            if (!recorded.equals(actual)) {
                throw DeployException.input("wheel " + wheelName + ": " + entry + " does not match the wheel's "
                        + "RECORD (" + recorded + ", the file has " + actual + ")");
            }
        }
    }

    private void add(Installed made) {
        Installed file = made.sha256() == null ? digestMade(made) : made;
        if (symlinks.containsKey(file.path())) {
            throw DeployException.input(file.owner() + ": installs " + file.path() + ", which the venv itself provides");
        }
        Installed previous = files.putIfAbsent(file.path(), file);
        if (previous != null) {
            throw DeployException.input(file.owner() + ": installs " + file.path() + ", which "
                    + previous.owner() + " installs too");
        }
    }

    /** The {@code .dist-info} directory of the wheel: the one at the root named for its project. */
    private static String distInfoDir(String wheelName, WheelFilename filename, List<ZipArchiveEntry> entries) {
        TreeSet<String> found = new TreeSet<>();
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(0, slash).endsWith(".dist-info")) {
                found.add(name.substring(0, slash));
            }
        }
        List<String> matching = found.stream().filter(dir -> {
            String base = dir.substring(0, dir.length() - ".dist-info".length());
            int dash = base.lastIndexOf('-');
            return dash > 0 && PackageNames.normalize(base.substring(0, dash)).equals(filename.normalizedName());
        }).toList();
        if (matching.size() != 1) {
            throw DeployException.input("wheel " + wheelName + ": expected one " + filename.distribution()
                    + "-*.dist-info directory at its root, found " + (found.isEmpty() ? "none" : found));
        }
        return matching.get(0);
    }

    private static void checkWheelVersion(String wheelName, ZipFile zip, String distInfo) {
        ZipArchiveEntry entry = zip.getEntry(distInfo + "/WHEEL");
        if (entry == null) {
            throw DeployException.input("wheel " + wheelName + ": has no " + distInfo + "/WHEEL");
        }
        for (String line : readText(wheelName, zip, entry).split("\r?\n")) {
            if (line.startsWith("Wheel-Version:")) {
                String version = line.substring("Wheel-Version:".length()).strip();
                if (!version.startsWith("1.")) {
                    throw DeployException.input("wheel " + wheelName + ": Wheel-Version " + version
                            + " is not supported (only 1.x)");
                }
                return;
            }
        }
        throw DeployException.input("wheel " + wheelName + ": " + distInfo + "/WHEEL has no Wheel-Version");
    }

    /** The {@code hash} column of the wheel's own RECORD, by path. */
    private static Map<String, String> recordHashes(String wheelName, ZipFile zip, String distInfo) {
        ZipArchiveEntry entry = zip.getEntry(distInfo + "/RECORD");
        if (entry == null) {
            throw DeployException.input("wheel " + wheelName + ": has no " + distInfo + "/RECORD");
        }
        Map<String, String> hashes = new HashMap<>();
        for (String line : readText(wheelName, zip, entry).split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = RecordCsv.parseLine(line);
            if (fields.size() >= 2 && !fields.get(1).isEmpty()) {
                hashes.put(fields.get(0), fields.get(1));
            }
        }
        return hashes;
    }

    /** The RECORD of one installed distribution: paths relative to site-packages, sorted. */
    private static String record(String site, String distInfo, List<Installed> installed) {
        Map<String, String> lines = new TreeMap<>();
        int depth = site.split("/").length;
        String up = "../".repeat(depth);
        for (Installed file : installed) {
            String relative = file.path().startsWith(site + "/") ? file.path().substring(site.length() + 1)
                    : up + file.path();
            lines.put(relative, RecordCsv.line(relative, "sha256="
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(file.sha256()), String.valueOf(file.size())));
        }
        String recordPath = distInfo + "/RECORD";
        lines.put(recordPath, RecordCsv.line(recordPath, "", ""));
        StringBuilder out = new StringBuilder();
        lines.values().forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static void checkEntryName(String wheelName, ZipArchiveEntry entry) {
        String name = entry.getName();
        String path = entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        boolean bad = path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")
                || path.contains("\n") || path.contains("\r") || path.contains("//") || path.matches("^[A-Za-z]:.*");
        if (!bad) {
            for (String part : path.split("/")) {
                if (part.equals("..") || part.equals(".")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw DeployException.input("wheel " + wheelName + ": entry '" + name.replace("\n", "\\n")
                    + "' is not a plain relative path and would escape the venv; refusing the wheel");
        }
        if (entry.isUnixSymlink()) {
            throw DeployException.input("wheel " + wheelName + ": entry '" + name + "' is a symbolic link, which "
                    + "wheels may not contain; refusing the wheel");
        }
    }

    private static String checkScriptName(EntryPoint script, String owner) {
        String name = script.name();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.contains("\n")) {
            throw DeployException.input(owner + ": script name '" + name + "' is not a plain file name");
        }
        return name;
    }

    private static String readText(String wheelName, ZipFile zip, ZipArchiveEntry entry) {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DeployException.input("wheel " + wheelName + ": cannot read " + entry.getName() + ": "
                    + e.getMessage());
        }
    }

    private AssembledVenv toTree() {
        List<TreeEntry> entries = new ArrayList<>();
        TreeSet<String> dirs = new TreeSet<>();
        dirs.add("bin");
        dirs.add(target.sitePackages());
        Map<String, Installed> byPath = new LinkedHashMap<>(files);
        for (Installed file : files.values()) {
            entries.add(TreeEntry.file(file.path(), file.executable(), file.size(),
                    HexFormat.of().formatHex(file.sha256())));
            dirs.add(parent(file.path()));
        }
        symlinks.forEach((path, linkTarget) -> {
            entries.add(TreeEntry.symlink(path, linkTarget));
            dirs.add(parent(path));
        });
        TreeSet<String> all = new TreeSet<>();
        for (String dir : dirs) {
            for (String d = dir; !d.isEmpty(); d = parent(d)) {
                all.add(d);
            }
        }
        all.forEach(dir -> entries.add(TreeEntry.directory(dir)));
        WheelArchives wheels = archives;
        Contents contents = entry -> {
            Installed file = byPath.get(entry.path());
            if (file == null) {
                throw new FileNotFoundException(entry.path());
            }
            if (file.source() instanceof Made made) {
                return new ByteArrayInputStream(made.bytes());
            }
            FromWheel fromWheel = (FromWheel) file.source();
            return wheels.open(fromWheel.wheel(), fromWheel.entry());
        };
        return new AssembledVenv(new Tree(entries), contents);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static Installed digestMade(Installed file) {
        byte[] bytes = ((Made) file.source()).bytes();
        return new Installed(file.path(), file.source(), file.executable(), bytes.length, sha256(bytes), file.owner());
    }

    private static Made made(String text) {
        return new Made(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        return FileCache.digest("sha256").digest(bytes);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
