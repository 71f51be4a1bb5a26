package dev.deploy.it.bench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a command under {@code /usr/bin/time -f %M} and reports its wall time, output and peak resident set size
 * (the kernel's maximum RSS of the process, what {@code VmHWM} shows just before exit).
 */
final class TimedProcess {

    /** How a run ended. {@code peakRssKiB} and {@code cpuSeconds} are 0 when {@code time} could not report them. */
    record Result(int exitCode, double wallSeconds, long peakRssKiB, double cpuSeconds, String stdout, String stderr) {
        Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " exited " + exitCode + ":\n" + stderr + "\n" + stdout);
            }
            return this;
        }
    }

    private TimedProcess() {
    }

    static Result run(List<String> command) {
        try {
            Path rss = Files.createTempFile("bench-rss-", ".txt");
            try {
                List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %U %S", "-o", rss.toString()));
                full.addAll(command);
                long start = System.nanoTime();
                Process process = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                CompletableFuture<byte[]> out = drain(process.getInputStream());
                CompletableFuture<byte[]> err = drain(process.getErrorStream());
                int code = process.waitFor();
                double wall = (System.nanoTime() - start) / 1e9;
                String rssText = Files.readString(rss).strip();
                long rssKiB = 0;
                double cpu = 0;
                for (String line : rssText.split("\n")) {
                    if (line.strip().matches("\\d+ [0-9.]+ [0-9.]+")) {
                        String[] fields = line.strip().split(" ");
                        rssKiB = Long.parseLong(fields[0]);
                        cpu = Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]);
                    }
                }
                return new Result(code, wall, rssKiB, cpu, new String(out.join(), StandardCharsets.UTF_8),
                        new String(err.join(), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(rss);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads {@code in} to its end on a thread of its own (the common pool may have a single thread here). */
    static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                result.complete(buffer.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "bench-drain");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
