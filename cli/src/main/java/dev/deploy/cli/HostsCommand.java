package dev.deploy.cli;

import dev.deploy.cli.json.JsonDocument;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostConnector;
import dev.deploy.source.SourceOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of commands that act on the hosts of an inventory. Everything they print goes through picocli's writers
 * ({@link #out()}, {@link #err()}), never {@code System.out}, so that runs in one JVM do not mix their output.
 */
abstract class HostsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    HelpLayout layout;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Deployment open() {
        HostConnector connector = Deployment.defaultConnector(common.acceptNewHostKeys, common.connectTimeout());
        return Deployment.open(common.inventoryFile(), common.on, common.libraryDirs(), connector,
                CommonOptions.cacheDir(), sourceOptions());
    }

    /** How sources and deploy.lock are treated (plan and apply take --frozen and --offline). */
    SourceOptions sourceOptions() {
        return SourceOptions.beside(common.inventoryFile());
    }

    /** {@code --parallel} as given, refused as bad input (before any host is contacted) when below 1. */
    static int parallel(int parallel) {
        if (parallel < 1) {
            throw CommonOptions.invalid("--parallel", "must be at least 1, got " + parallel);
        }
        return parallel;
    }

    Style style() {
        return new Style(common.noColor);
    }

    void printJson(JsonDocument document) {
        out().println(Json.write(document));
        out().flush();
    }
}
