package dev.deploy.it.local;

import dev.deploy.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs the real {@code deploy} command line in-process and captures its exit code and output. The CLI prints only
 * through the writers it is given, so runs may happen on several threads at once.
 */
public record CliRun(int exitCode, String stdout, String stderr) {

    /** Runs {@code deploy ARGS --no-color INVENTORY}. */
    public static CliRun against(java.nio.file.Path inventory, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--no-color";
        full[args.length + 1] = inventory.toString();
        return of(full);
    }

    public static CliRun of(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        PrintWriter out = new PrintWriter(stdout, true);
        PrintWriter err = new PrintWriter(stderr, true);
        int code = Main.run(out, err, args);
        out.flush();
        err.flush();
        return new CliRun(code, stdout.toString(), stderr.toString());
    }
}
