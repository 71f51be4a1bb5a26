package dev.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code deploy} command; the work happens in its subcommands. */
@Command(name = "deploy",
        header = "Declarative deployments to Linux hosts, without Nix.",
        description = {"Describe hosts (an inventory) and what runs on them (modules) in YAML. 'deploy plan' shows "
                + "what would change on each host, 'deploy apply' pushes exactly that and switches each host to a "
                + "new generation atomically, 'deploy rollback' returns to an earlier one.",
            "",
            "Every artifact (a source tree, a rendered file, a systemd unit) is a content-addressed store path; a "
                + "generation is a numbered set of them, and the host's 'current' link names the live one."},
        subcommands = {PlanCommand.class, ApplyCommand.class, StatusCommand.class, RollbackCommand.class, GenerationsCommand.class,
            GcCommand.class, LockCommand.class, PushCacheCommand.class, CacheCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Run 'deploy COMMAND --help' for the options of a command."})
public final class DeployCommand implements Runnable {

    @Mixin
    HelpLayout layout;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command ("
                + String.join(", ", spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList())
                + ")");
    }
}
