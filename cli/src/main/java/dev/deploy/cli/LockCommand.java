package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.fleet.Deployment;
import dev.deploy.source.SourceOptions;
import dev.deploy.source.SourceResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy lock}: pins every git source of the inventory in {@code deploy.lock} (like {@code nix flake lock});
 * with {@code --update}, moves pins to what their refs point to now and shows old -> new.
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {"Pin every git source of the inventory's hosts in deploy.lock beside the",
            "inventory: the reference, the commit it resolved to, the tree's hash and when.",
            "Sources without a pin get one; with --update, the given sources (all when none",
            "is given) are resolved again and moved, showing old -> new commit. A rev=",
            "reference pins itself and never moves. Entries no source uses any more are",
            "dropped (when no --on is given). plan and apply deploy the pinned commits."},
        footer = ExitCodes.HELP)
final class LockCommand extends HostsCommand {

    @Option(names = "--update", description = "Move pins to what their refs point to now (the SOURCEs, else all).")
    boolean update;

    @Option(names = "--offline", description = "No network: only sources whose repositories are local can be pinned.")
    boolean offline;

    @Parameters(index = "1..*", paramLabel = "SOURCE",
            description = "With --update: the sources to move, as written (github:o/r/main) or as keyed in the lock.")
    List<String> sources = new ArrayList<>();

    private Optional<Set<String>> selection = Optional.empty();

    @Override
    SourceOptions sourceOptions() {
        return SourceOptions.beside(common.inventory).withOffline(offline).withUpdate(selection);
    }

    @Override
    public Integer call() {
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
                Map<String, Object> doc = Json.document("lock");
                doc.put("lockFile", resolver.lockFile().map(Object::toString).orElse(null));
                List<Object> pins = new ArrayList<>();
                for (SourceResolver.PinChange change : resolver.pinChanges()) {
                    Map<String, Object> pin = new LinkedHashMap<>();
                    pin.put("source", change.key());
                    pin.put("written", change.written());
                    pin.put("before", change.before().orElse(null));
                    pin.put("after", change.after());
                    pin.put("resolved", change.resolution().describe());
                    pin.put("moved", change.moved());
                    pins.add(pin);
                }
                doc.put("pins", pins);
                doc.put("dropped", dropped);
                doc.put("sourceNotices", SourceNotices.json(notices));
                printJson(doc);
                return ExitCodes.OK;
            }
            SourceNotices.print(err(), notices.stream().filter(l -> !l.kind().equals("pin-added")).toList());
            String file = resolver.lockFile().map(p -> p.getFileName().toString()).orElse("deploy.lock");
            if (resolver.pinChanges().isEmpty() && dropped.isEmpty()) {
                out().println(file + ": " + (update ? "no git sources to update" : "every git source is pinned"));
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
