package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes generations and switches {@code current}. A new generation is assembled under a temporary name and
 * renamed into place; {@code current} is switched by creating a new symlink and renaming it over the old one, so at
 * every instant it names a complete generation. Service actions run in the same script, around the switch.
 */
public final class GenerationSwitch {

    private GenerationSwitch() {
    }

    /** Writes generation {@code manifest.number()} (its store paths must be present) and switches to it. */
    public static void writeAndSwitch(HostConnection connection, HostLayout layout, GenerationManifest manifest,
                                      ServiceManager services, List<HostPlan.ServiceChange> changes) {
        int number = manifest.number();
        String staging = layout.generations() + "/.new-" + number;
        ShellScript script = ShellScript.strict()
                .cmd("mkdir", "-p", layout.generations())
                .cmd("rm", "-rf", staging)
                .cmd("mkdir", "-p", staging + "/roots", staging + "/units")
                .raw("cat > " + dev.deploy.host.Shell.quote(staging + "/manifest.json"));
        manifest.roots().forEach((role, storePath) -> {
            String link = staging + "/roots/" + role;
            script.cmd("mkdir", "-p", link.substring(0, link.lastIndexOf('/')));
            script.cmd("ln", "-s", layout.store() + "/" + storePath, link);
        });
        manifest.services().forEach((service, entry) -> script.cmd("ln", "-s",
                layout.store() + "/" + entry.unit() + "/" + service + ".service",
                staging + "/units/" + service + ".service"));
        script.cmd("mv", "-T", staging, layout.generation(number));
        appendSwitch(script, layout, manifest, services, changes);
        run(connection, script, manifest.toJson(), "activate generation " + number);
    }

    /** Switches to an existing generation (rollback). */
    public static void switchTo(HostConnection connection, HostLayout layout, GenerationManifest manifest,
                                ServiceManager services, List<HostPlan.ServiceChange> changes) {
        ShellScript script = ShellScript.strict()
                .cmd("test", "-f", layout.generation(manifest.number()) + "/manifest.json");
        appendSwitch(script, layout, manifest, services, changes);
        run(connection, script, "", "switch to generation " + manifest.number());
    }

    private static void appendSwitch(ShellScript script, HostLayout layout, GenerationManifest manifest,
                                     ServiceManager services, List<HostPlan.ServiceChange> changes) {
        services.beforeSwitch(script, layout, changes);
        script.cmd("ln", "-sfn", "generations/" + manifest.number(), layout.stateDir() + "/.current.new")
                .cmd("mv", "-T", layout.stateDir() + "/.current.new", layout.current());
        services.afterSwitch(script, layout, manifest, changes);
    }

    private static void run(HostConnection connection, ShellScript script, String stdin, String step) {
        try {
            CommandResult result = connection.run(script.text(),
                    out -> out.write(stdin.getBytes(StandardCharsets.UTF_8)));
            if (!result.ok()) {
                throw DeployException.host(connection.hostName(), step, result.lastErrorLine());
            }
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), step, e.getMessage(), e);
        }
    }
}
