package dev.deploy.cli;

import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostConnector;
import dev.deploy.source.SourceOptions;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** Base of commands that act on the hosts of an inventory. */
abstract class HostsCommand implements Callable<Integer> {


    @Mixin
    CommonOptions common;

    PrintStream out = System.out;
    PrintStream err = System.err;

    Deployment open() {
        HostConnector connector = Deployment.defaultConnector(common.acceptNewHostKeys);
        return Deployment.open(common.inventory, common.on, common.libraryDirs(), connector, CommonOptions.cacheDir(),
                sourceOptions());
    }

    /** How sources and deploy.lock are treated (plan and apply take --frozen and --offline). */
    SourceOptions sourceOptions() {
        return SourceOptions.beside(common.inventory);
    }

    Style style() {
        return new Style(common.noColor);
    }

    void printJson(Map<String, Object> document) {
        out.println(Json.write(document));
    }
}
