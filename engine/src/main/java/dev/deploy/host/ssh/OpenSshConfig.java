package dev.deploy.host.ssh;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * OpenSSH's own view of a host: the output of {@code ssh -G HOST} (ssh(1)), which applies {@code Host} patterns,
 * {@code Match}, {@code Include} and aliases exactly as {@code ssh} would, and prints every effective option as
 * {@code keyword value} lines (keywords in lower case; repeated for options with several values such as
 * {@code identityfile}). Runs with a deadline ({@link #DEADLINE}): a {@code Match exec} that hangs cannot hang a run.
 */
final class OpenSshConfig {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    /** Thrown when {@code ssh -G} rejects the configuration or the host; the message is ssh's own. */
    static final class ConfigProblem extends Exception {
        ConfigProblem(String message) {
            super(message);
        }
    }

    /** The effective options of one host: keyword to values, in ssh's order. */
    record Effective(Map<String, List<String>> options) {
        Optional<String> first(String keyword) {
            List<String> values = options.get(keyword);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        List<String> all(String keyword) {
            return options.getOrDefault(keyword, List.of());
        }

        static Effective parse(String output) {
            Map<String, List<String>> options = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int space = trimmed.indexOf(' ');
                String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
                String value = space < 0 ? "" : trimmed.substring(space + 1).strip();
                options.computeIfAbsent(keyword, k -> new ArrayList<>()).add(value);
            }
            return new Effective(options);
        }
    }

    private final Path ssh;
    private final Duration deadline;

    OpenSshConfig(Path ssh) {
        this(ssh, DEADLINE);
    }

    /** {@code deadline}: how long one {@code ssh -G} may run (tests shorten it). */
    OpenSshConfig(Path ssh, Duration deadline) {
        this.ssh = ssh;
        this.deadline = deadline;
    }

    /** The {@code ssh} client on {@code PATH}, if it is installed. */
    static Optional<Path> findClient() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "ssh");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    Path client() {
        return ssh;
    }

    /**
     * {@code ssh [-F configFile] [-l user] [-p port] -G host}: the user and port the inventory sets are given as
     * {@code ssh} would get them on its command line, so that {@code Match user} and {@code Match localuser}
     * conditions see them.
     */
    Effective query(Optional<Path> configFile, String host, Optional<String> user, Optional<Integer> port)
            throws ConfigProblem {
        List<String> command = new ArrayList<>(List.of(ssh.toString()));
        configFile.ifPresent(file -> command.addAll(List.of("-F", file.toString())));
        user.ifPresent(u -> command.addAll(List.of("-l", u)));
        port.ifPresent(p -> command.addAll(List.of("-p", String.valueOf(p))));
        command.add("-G");
        command.add("--");
        command.add(host);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new ConfigProblem("cannot run " + ssh + " -G: " + e.getMessage());
        }
        try {
            StreamText out = StreamText.read(process.getInputStream());
            StreamText err = StreamText.read(process.getErrorStream());
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                dev.deploy.host.ProcessTree.stop(process);
                throw new ConfigProblem("ssh -G " + host + " did not finish within " + HopWatch.seconds(deadline)
                        + " (a Match exec that hangs?)");
            }
            if (process.exitValue() != 0) {
                String message = err.text().lines()
                        .filter(line -> !line.startsWith("Pseudo-terminal"))
                        .findFirst().orElse("exit " + process.exitValue()).strip();
                throw new ConfigProblem("ssh -G " + host + ": " + message);
            }
            return Effective.parse(out.text());
        } catch (InterruptedException e) {
            dev.deploy.host.ProcessTree.stop(process);
            Thread.currentThread().interrupt();
            throw new ConfigProblem("interrupted while running ssh -G " + host);
        }
    }

    /** Reads a process stream on its own thread (stdout and stderr must drain together). */
    private static final class StreamText {
        private final Thread reader;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private StreamText(InputStream in) {
            reader = new Thread(() -> {
                try (in) {
                    in.transferTo(buffer);
                } catch (IOException e) {
                    // What was read is kept.
                }
            }, "ssh-G-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static StreamText read(InputStream in) {
            return new StreamText(in);
        }

        String text() throws InterruptedException {
            reader.join(DEADLINE.toMillis() + 1000);
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
