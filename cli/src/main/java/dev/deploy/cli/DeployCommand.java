package dev.deploy.cli;

import picocli.CommandLine.Command;

/** The top-level {@code deploy} command; the work happens in its subcommands. */
@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = VersionProvider.class,
        description = {
            "Declarative deployments: describe hosts and modules in YAML, see the plan, apply it atomically.",
            "",
            "Every artifact (source tree, rendered file, systemd unit) is a content-addressed store path; each apply",
            "writes a numbered generation and switches the host's 'current' link to it in one rename."
        },
        subcommands = {PlanCommand.class, ApplyCommand.class, RollbackCommand.class, GenerationsCommand.class,
            GcCommand.class, LockCommand.class, PushCacheCommand.class, CacheCommand.class, picocli.CommandLine.HelpCommand.class},
        footer = ExitCodes.HELP)
public final class DeployCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command (plan, apply, rollback, generations, gc, lock, push-cache, cache)");
    }
}
