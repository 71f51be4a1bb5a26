package dev.deploy.plan;

import java.util.List;

/**
 * Why a service is started, restarted or stopped: {@code because} names the inputs that changed, e.g.
 * {@code unit}, {@code source/app.src}, {@code venv/app.venv}, or says {@code new service},
 * {@code removed from the inventory}, {@code generation N is marked failed}.
 */
public record ServiceReason(String service, HostPlan.ServiceAction action, List<String> because) {

    public ServiceReason {
        because = List.copyOf(because);
    }
}
