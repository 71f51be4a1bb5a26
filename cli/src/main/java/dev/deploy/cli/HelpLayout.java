package dev.deploy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The usage-help layout every {@code deploy} command mixes in, so that {@code --help}, the man pages and the
 * completion script (all generated from the same picocli model) read alike: a one-line {@code header} (also the
 * command's summary in {@code deploy --help}), {@code Usage: deploy CMD [OPTIONS] ARGS}, the description as
 * paragraphs that picocli wraps at the terminal's width, arguments, options (the command's own first, then the
 * shared ones, help and version last) and the exit codes as an indented list.
 *
 * <p>Text rules (checked by {@code HelpTextTest}): headers are one sentence ending with a period and short enough
 * for the command list at 80 columns; each description entry is a whole paragraph (never a line broken by hand);
 * a literal {@code %} is written {@code %%} (picocli formats descriptions).
 */
@Command(usageHelpAutoWidth = true,
        abbreviateSynopsis = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (plan and status --detailed-exitcode: no changes, no drift)",
            "1:a host failed: unreachable, a step failed (a lost connection too), rolled back or reverted, or "
                    + "skipped by a stopped rollout",
            "2:plan --detailed-exitcode: there are changes to apply; status --detailed-exitcode: a host drifted",
            "3:bad input (inventory, module or command line); no host was changed",
            "4:another deploy holds a host's lock",
            "70:internal error (a bug in deploy, never a host's problem)",
            "130:interrupted (ctrl-C): each host stopped where it was; 'deploy status' shows where"})
final class HelpLayout {

    /** Orders of the options in the list: the command's own (1..), the shared ones, help and version. */
    static final int SHARED = 100;
    static final int STANDARD = 900;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = STANDARD,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, order = STANDARD + 1,
            description = "Show the version and the git commit it was built from, and exit.")
    boolean version;
}
