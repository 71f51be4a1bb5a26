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

    /** Runs {@code deploy args} and returns its exit code (used by tests too). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new DeployCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (exception instanceof DeployException deploy) {
                err.println("deploy: error: " + deploy.getMessage());
                err.flush();
                return switch (deploy.kind()) {
                    case INPUT -> ExitCodes.INPUT;
                    case HOST -> ExitCodes.HOST_FAILED;
                    case LOCKED -> ExitCodes.LOCKED;
                };
            }
            err.println("deploy: internal error: " + exception);
            boolean verbose = parseResult.expandedArgs().contains("-v") || parseResult.expandedArgs().contains("--verbose");
            if (verbose) {
                exception.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace; this is a bug in deploy, please report it)");
            }
            err.flush();
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
        return commandLine.execute(args);
    }
}
