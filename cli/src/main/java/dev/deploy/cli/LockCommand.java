package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.cli.json.LockDocument;
import dev.deploy.fleet.Deployment;
import dev.deploy.source.GitUrls;
import dev.deploy.source.SourceOptions;
import dev.deploy.source.SourceResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy lock}: pins every git source of the inventory in {@code deploy.lock} (like {@code nix flake lock});
 * with {@code --update}, moves pins to what their refs point to now and shows old -> new.
 */
@Command(name = "lock",
        header = "Pin every git source in deploy.lock; --update moves pins.",
        description = {"Pins every git source of the inventory's hosts in deploy.lock beside the inventory: the "
                + "reference, the commit it resolved to, the tree's hash and when. Sources without a pin get one; "
                + "with --update, the given sources (all when none is given) are resolved again and moved, showing "
                + "old -> new commit. A rev= reference pins itself and never moves. Entries no source uses any more "
                + "are dropped (when no --on is given). plan and apply deploy the pinned commits."})
final class LockCommand extends HostsCommand {

    @Option(names = "--update", order = 1,
            description = "Move pins to what their refs point to now (the SOURCEs, else all).")
    boolean update;

    @Option(names = "--offline", order = 2,
            description = "No network: only sources whose repositories are local can be pinned.")
    boolean offline;

    @Parameters(index = "1..*", paramLabel = "SOURCE",
            description = "With --update: the sources to move, as a module writes them or as the lock keys them.")
    List<String> sources = new ArrayList<>();

    private Optional<Set<String>> selection = Optional.empty();

    @Override
    SourceOptions sourceOptions() {
        return SourceOptions.beside(common.inventoryFile()).withOffline(offline).withUpdate(selection);
    }

    @Override
    public Integer call() {
        // as plans and the lock show them: credentials in a URL are scrubbed (and never echoed)
        sources = sources.stream().map(GitUrls::redact).toList();
        if (!sources.isEmpty() && !update) {
            throw DeployException.input(null, "SOURCE", "naming sources needs --update");
        }
        if (update && !sources.isEmpty()) {
            try (Deployment known = open()) {
                known.evaluateWithoutSecrets();
                Set<String> used = known.sources().usedReferences();
                for (String source : sources) {
                    if (!used.contains(source)) {
                        throw DeployException.input(null, "SOURCE", "'" + source + "' is not a git source of this "
                                + "inventory (known: " + String.join(", ", used) + ")");
                    }
                }
            }
        }
        selection = update ? Optional.of(sources.isEmpty() ? SourceOptions.ALL : new LinkedHashSet<>(sources))
                : Optional.empty();
        try (Deployment deployment = open()) {
            deployment.evaluateWithoutSecrets();
            SourceResolver resolver = deployment.sources();
            List<String> dropped = common.on.isEmpty() ? resolver.pruneUnused() : List.of();
            List<SourceNotices.Line> notices = SourceNotices.of(deployment, false);
            if (common.json) {
                List<LockDocument.Pin> pins = resolver.pinChanges().stream().map(change -> new LockDocument.Pin(
                        change.key(), change.written(), change.before().orElse(null), change.after(),
                        change.resolution().describe(), change.moved())).toList();
                printJson(new LockDocument(ExitCodes.OK, resolver.lockFile().map(Object::toString).orElse(null),
                        pins, dropped, SourceNotices.json(notices)));
                return ExitCodes.OK;
            }
            SourceNotices.print(err(), notices.stream().filter(l -> !l.kind().equals("pin-added")).toList());
            String file = resolver.lockFile().map(p -> p.getFileName().toString()).orElse("deploy.lock");
            if (resolver.pinChanges().isEmpty() && dropped.isEmpty()) {
                out().println(file + ": " + (resolver.usedReferences().isEmpty()
                        ? "no git sources here (path: sources are never pinned)"
                        : update ? "no git sources to update" : "every git source is pinned"));
            }
            for (SourceResolver.PinChange change : resolver.pinChanges()) {
                String what = change.before().isEmpty() ? "added " + change.after()
                        : change.moved() ? change.before().get() + " -> " + change.after()
                        : "unchanged " + change.after();
                out().println(change.written() + ": " + what + " (" + change.resolution().describe() + ")");
            }
            for (String key : dropped) {
                out().println(key + ": dropped (no source uses it)");
            }
            return ExitCodes.OK;
        }
    }
}
