package dev.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (or "development" when run from classes). */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = DeployCommand.class.getPackage().getImplementationVersion();
        return new String[] {"deploy " + (version == null ? "development" : version)};
    }
}
