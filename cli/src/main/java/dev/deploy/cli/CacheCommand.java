package dev.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deploy cache}: maintenance of the binary cache; the work happens in its subcommands. */
@Command(name = "cache",
        header = "Maintain the inventory's binary cache.",
        description = {"Commands that work on the binary cache itself ('deploy push-cache' fills it)."},
        subcommands = {CacheGcCommand.class})
final class CacheCommand implements Runnable {

    @Mixin
    HelpLayout layout;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (gc)");
    }
}
