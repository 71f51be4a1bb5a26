package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.activation.HostHeader;
import dev.deploy.cli.json.ErrorDocument;
import dev.deploy.cli.json.Problem;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Entry point: runs the command line and maps errors to one line on stderr (and, with {@code --json}, an
 * {@link ErrorDocument} on stdout) and a documented exit code.
 */
public final class Main {

    /** Narrowest and widest help picocli is asked to lay out (its own minimum is 55). */
    static final int MIN_WIDTH = 55;
    static final int MAX_WIDTH = 500;

    static {
        HostHeader.allow();
    }

    private Main() {
    }

    /** What stderr says when ctrl-C (or SIGTERM) ends a run: the JVM exits at once, so nothing else would. */
    static final String INTERRUPTED = "deploy: interrupted; each host stopped where it was: one that had not "
            + "switched keeps its generation, one that switched keeps the new one unless magic rollback switches an "
            + "unconfirmed SSH host back; 'deploy status' shows each host, and the next apply finishes the work";

    /**
     * Set when a signal ends the process: from then on an error is not reported (it would only be the consequence
     * of the stopped programs, e.g. "the command exited with status 143"), the interrupted line says what happened.
     */
    private static volatile boolean stopping;

    public static void main(String[] args) {
        // On SIGINT/SIGTERM the JVM runs its shutdown hooks and exits with 128 + the signal (130, 143); without this
        // hook a run cut by ctrl-C would end silently, with neither the table nor an error line. The programs deploy
        // started (secret commands, ssh -G, a local target's host scripts) are stopped too, as ctrl-C in a terminal
        // does for the whole process group, also when the signal was sent to this process alone (kill, CI, systemd).
        Thread interrupted = new Thread(() -> {
            stopping = true;
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            System.out.flush();
            System.err.println(INTERRUPTED);
            System.err.flush();
        }, "deploy-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        int code = run(args);
        try {
            Runtime.getRuntime().removeShutdownHook(interrupted);
        } catch (IllegalStateException signalArrivedJustNow) {
            // the JVM is already shutting down for a signal: the hook says so
        }
        System.exit(code);
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
        CommandLine commandLine = commandLine(helpWidth(System.getenv("COLUMNS")));
        if (out != null) {
            commandLine.setOut(out);
        }
        if (err != null) {
            commandLine.setErr(err);
        }
        boolean json = wantsJson(args);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            String command = commandName(cmd);
            if (exception instanceof DeployException deploy) {
                int code = exitCode(deploy);
                report(cmd, json, new ErrorDocument(command, code, deploy.getMessage(), Problem.of(deploy)));
                return code;
            }
            PrintWriter errors = cmd.getErr();
            if (stopping) {
                return ExitCodes.INTERRUPTED;
            }
            if (json) {
                cmd.getOut().println(Json.write(new ErrorDocument(command, ExitCodes.INTERNAL,
                        "internal error: " + exception, Problem.internal(exception))));
                cmd.getOut().flush();
            }
            errors.println("deploy: internal error: " + exception);
            if (verbose(parseResult)) {
                exception.printStackTrace(errors);
            } else {
                errors.println("(run with --verbose for the stack trace; this is a bug in deploy, please report it)");
            }
            errors.flush();
            return ExitCodes.INTERNAL;
        });
        commandLine.setParameterExceptionHandler((refused, arguments) -> {
            CommandLine.ParameterException exception = unknownHelpTopic(refused).orElse(refused);
            CommandLine cmd = exception.getCommandLine();
            String message = message(exception);
            report(cmd, json, new ErrorDocument(commandName(cmd), ExitCodes.INPUT, message,
                    new Problem("input", null, null, null, null, null, null, message)));
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

    /**
     * The {@code deploy} command line, its help laid out {@code width} columns wide when given, else as wide as the
     * terminal (picocli asks the terminal; 80 when there is none).
     */
    static CommandLine commandLine(OptionalInt width) {
        CommandLine commandLine = new CommandLine(new DeployCommand());
        width.ifPresent(columns -> {
            commandLine.setUsageHelpAutoWidth(false);
            commandLine.setUsageHelpWidth(columns);
        });
        return commandLine;
    }

    /** The help width {@code COLUMNS} asks for (as for other tools), within 55..500; empty when unset or not a number. */
    static OptionalInt helpWidth(String columns) {
        if (columns == null || !columns.strip().matches("[0-9]{1,6}")) {
            return OptionalInt.empty();
        }
        int value = Integer.parseInt(columns.strip());
        return value == 0 ? OptionalInt.empty() : OptionalInt.of(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, value)));
    }

    /**
     * The line for a command line picocli refused: its own words, except for a word where a command was expected
     * ({@code deploy aply}), which picocli calls "Unmatched arguments from index 0: 'aply', 'x'".
     */
    static String message(CommandLine.ParameterException exception) {
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                && !exception.getCommandLine().getSubcommands().isEmpty()
                && exception.getCommandLine().getCommandSpec().positionalParameters().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'";
        }
        return exception.getMessage();
    }

    /**
     * {@code deploy help aply}, refused by picocli's help command in words of its own, as the same refusal as
     * {@code deploy aply}: an unmatched command of the help command's parent, so it gets the same line and suggestion.
     */
    static Optional<CommandLine.ParameterException> unknownHelpTopic(CommandLine.ParameterException exception) {
        // picocli's help command throws its refusal against its parent ("deploy"), after parsing
        CommandLine parent = exception.getCommandLine();
        ParseResult parsed = parent.getParseResult();
        ParseResult help = parsed == null ? null : parsed.subcommand();
        if (help == null || !(help.commandSpec().userObject() instanceof CommandLine.HelpCommand)
                || help.matchedPositionals().isEmpty()) {
            return Optional.empty();
        }
        List<String> topics = help.matchedPositionals().get(0).stringValues();
        if (topics.isEmpty() || parent.getSubcommands().containsKey(topics.get(0))) {
            return Optional.empty();
        }
        return Optional.of(new CommandLine.UnmatchedArgumentException(parent, List.of(topics.get(0))));
    }

    /** The exit code of an error that ended a whole command. */
    static int exitCode(DeployException error) {
        return switch (error.kind()) {
            case INPUT -> ExitCodes.INPUT;
            case HOST -> ExitCodes.HOST_FAILED;
            case LOCKED -> ExitCodes.LOCKED;
        };
    }

    /** The line on stderr; with --json also the document on stdout, so a consumer always gets one. */
    private static void report(CommandLine cmd, boolean json, ErrorDocument document) {
        if (stopping) {
            return;
        }
        if (json) {
            cmd.getOut().println(Json.write(document));
            cmd.getOut().flush();
        }
        cmd.getErr().println("deploy: error: " + DeployException.oneLine(document.error()));
        cmd.getErr().flush();
    }

    /** Whether {@code --json} is among the options (before a {@code --} that ends them). */
    static boolean wantsJson(String... args) {
        List<String> options = Arrays.asList(args);
        int end = options.indexOf("--");
        return (end < 0 ? options : options.subList(0, end)).contains("--json");
    }

    private static String commandName(CommandLine cmd) {
        return cmd.getParent() == null ? "deploy" : cmd.getCommandName();
    }

    private static boolean verbose(ParseResult parseResult) {
        return parseResult.expandedArgs().contains("-v") || parseResult.expandedArgs().contains("--verbose");
    }
}
