package dev.deploy.render;

import dev.deploy.DeployException;
import dev.deploy.Location;

/**
 * What is being rendered, for errors: the host it is rendered for and the module field that holds the template
 * ({@code services.web.exec} at {@code modules/web.yaml:9:11}).
 */
public record Site(String host, Location location, String field) {

    /** Bad input at this site. */
    public DeployException reject(String detail) {
        return DeployException.input(host, location, field, detail);
    }

    /**
     * Bad input at this site caused by text written at {@code origin}: when that is another place (the inventory
     * line that set an option, another module's default), the error names it too.
     */
    public DeployException reject(String detail, Origin origin) {
        if (origin == null || origin.location().equals(location)) {
            return reject(detail);
        }
        return reject(detail + "; the value comes from " + origin);
    }
}
