package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.activation.HostHeader;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: runs the command line and maps errors to one line on stderr and a documented exit code. */
public final class Main {

    static {
        HostHeader.allow();
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code deploy args} on this process's stdout and stderr and returns its exit code. */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs {@code deploy args}, writing to {@code out} and {@code err} (the process's streams when null), and returns
     * its exit code. Commands print only through these, so tests can run several at once in one JVM.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new DeployCommand());
        if (out != null) {
            commandLine.setOut(out);
        }
        if (err != null) {
            commandLine.setErr(err);
        }
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter errors = cmd.getErr();
            if (exception instanceof DeployException deploy) {
                errors.println("deploy: error: " + deploy.getMessage());
                errors.flush();
                return switch (deploy.kind()) {
                    case INPUT -> ExitCodes.INPUT;
                    case HOST -> ExitCodes.HOST_FAILED;
                    case LOCKED -> ExitCodes.LOCKED;
                };
            }
            errors.println("deploy: internal error: " + exception);
            boolean verbose = parseResult.expandedArgs().contains("-v") || parseResult.expandedArgs().contains("--verbose");
            if (verbose) {
                exception.printStackTrace(errors);
            } else {
                errors.println("(run with --verbose for the stack trace; this is a bug in deploy, please report it)");
            }
            errors.flush();
            return ExitCodes.INTERNAL;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine cmd = exception.getCommandLine();
            cmd.getErr().println("deploy: error: " + exception.getMessage());
            // "deploy aply" -> "Did you mean: deploy apply?" (picocli compares against the commands and options)
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, cmd.getErr());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            cmd.getErr().flush();
            return ExitCodes.INPUT;
        });
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }
}
