package dev.deploy.cli;

import picocli.CommandLine.Command;

/** {@code deploy cache}: maintenance of the binary cache; the work happens in its subcommands. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Maintain the inventory's binary cache (see 'deploy push-cache' to fill it).",
        subcommands = {CacheGcCommand.class},
        footer = ExitCodes.HELP)
final class CacheCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command (gc)");
    }
}
