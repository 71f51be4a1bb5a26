package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.SavedPlan;
import dev.deploy.yaml.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes {@code deploy plan --out FILE}: the whole file or nothing (a temporary file renamed into place). */
final class SavedPlanFile {

    private SavedPlanFile() {
    }

    /**
     * Writes the plans of every selected host to {@code file}, mode 0644.
     *
     * @throws DeployException of kind INPUT when the file cannot be written
     */
    static void write(Path file, List<HostPlan> plans, Path inventory) {
        String version = VersionProvider.versionLine();
        SavedPlan saved = SavedPlan.of(plans, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), version,
                inventory.toString());
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw CommonOptions.invalid("--out", file + ": is a directory; give the name of the plan file to write");
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            Files.writeString(temp, saved.toJson());
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the message below is what matters
                }
            }
            throw CommonOptions.invalid("--out", file + ": cannot write the plan file: "
                    + (e instanceof IOException io ? FileErrors.reason(io) : String.valueOf(e.getMessage())));
        }
    }
}
