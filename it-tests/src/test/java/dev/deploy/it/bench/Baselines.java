package dev.deploy.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What users would run instead, with the system OpenSSH client: {@code rsync -a --delete -e ssh} (krops' populate;
 * bytes from its {@code --stats}) and {@code tar c | ssh host tar x} (the streaming limit; bytes counted in the
 * pipe between them). Each is one SSH session per host.
 */
final class Baselines {

    private static final Pattern RSYNC_SENT = Pattern.compile("Total bytes sent: ([\\d,]+)");

    private Baselines() {
    }

    /** {@code rsync -a --delete [-n] SRC/ host:DEST/}; {@code dryRun} is rsync's plan. */
    static Measurement rsync(BenchHost host, Path source, String destination, boolean dryRun) {
        List<String> command = new ArrayList<>(List.of("rsync", "-a", "--delete", "--stats"));
        if (dryRun) {
            command.add("-n");
        }
        command.add("-e");
        command.add(String.join(" ", host.sshCommand()));
        command.add(source + "/");
        command.add(host.destination() + ":" + destination + "/");
        TimedProcess.Result result = TimedProcess.run(command).requireSuccess("rsync to " + host.name());
        Matcher sent = RSYNC_SENT.matcher(result.stdout());
        if (!sent.find()) {
            throw new IllegalStateException("rsync --stats printed no 'Total bytes sent': " + result.stdout());
        }
        long bytes = Long.parseLong(sent.group(1).replace(",", ""));
        return new Measurement(result.wallSeconds(), bytes, 1, result.peakRssKiB(), bytes);
    }

    /** {@code tar -C SRC -cf - . | ssh host 'mkdir -p DEST && tar -C DEST -xf -'}. */
    static Measurement tar(BenchHost host, Path source, String destination) {
        List<String> ssh = new ArrayList<>(host.sshCommand());
        ssh.add(host.destination());
        ssh.add("mkdir -p " + destination + " && tar -C " + destination + " -xf -");
        try {
            long start = System.nanoTime();
            Process tar = new ProcessBuilder("tar", "-C", source.toString(), "-cf", "-", ".").start();
            Process remote = new ProcessBuilder(ssh).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<byte[]> tarErr = TimedProcess.drain(tar.getErrorStream());
            CompletableFuture<byte[]> sshErr = TimedProcess.drain(remote.getErrorStream());
            long bytes = 0;
            try (InputStream in = tar.getInputStream(); OutputStream out = remote.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    bytes += n;
                }
            }
            int tarCode = tar.waitFor();
            int sshCode = remote.waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            if (tarCode != 0 || sshCode != 0) {
                throw new IllegalStateException("tar | ssh to " + host.name() + " failed (" + tarCode + ", " + sshCode
                        + "): " + new String(tarErr.join(), StandardCharsets.UTF_8)
                        + new String(sshErr.join(), StandardCharsets.UTF_8));
            }
            return new Measurement(wall, bytes, 1, 0, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("tar | ssh to " + host.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
