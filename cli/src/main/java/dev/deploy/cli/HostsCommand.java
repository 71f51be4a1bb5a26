package dev.deploy.cli;

import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostConnector;
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
        return Deployment.open(common.inventory, common.on, common.libraryDirs(), connector, CommonOptions.cacheDir());
    }

    Style style() {
        return new Style(common.noColor);
    }

    void printJson(Map<String, Object> document) {
        out.println(Json.write(document));
    }
}
