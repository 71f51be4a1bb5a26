package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import dev.deploy.it.local.MiniWheel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A venv module on a Debian bookworm host over SSH: the host's Python is probed, the venv is built on the controller
 * for it, pushed, byte-compiled on the host, and its launchers run there with the host's interpreter.
 */
class VenvOnDebianIT {

    @TempDir
    Path dir;

    private DebianTestHost host;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        MiniWheel.greeterProject(dir, "hello from the venv");
        inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n"
                + host.inventoryEntry("deb1", "modules: [app]", "options: {app.source: \"path:app\"}"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void anSdistOnlyPackageOnAHostWithoutPipIsAnInputErrorNamingThePackageAndPip() throws Exception {
        Path sdist = dir.resolve("sdists/shout-1.0.tar.gz");
        Files.createDirectories(sdist.getParent());
        Files.write(sdist, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        String lock = Files.readString(dir.resolve("app/uv.lock"));
        int shout = lock.indexOf("[[package]]\nname = \"shout\"");
        int wheels = lock.indexOf("wheels = [", shout);
        lock = lock.substring(0, wheels) + "sdist = { url = \"" + sdist.toUri() + "\", hash = \"sha256:"
                + org.apache.commons.codec.digest.DigestUtils.sha256Hex(Files.readAllBytes(sdist)) + "\" }\n";
        Files.writeString(dir.resolve("app/uv.lock"), lock);

        CliRun apply = CliRun.against(inventory, "apply");

        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(3);
        assertThat(apply.stderr()).contains("package 'shout 1.0': building it from its sdist on host deb1 failed: "
                + "pip is not installed for /usr/bin/python3.11");
        assertThat(host.exec("test", "-e", "/var/lib/deploy/current").exitCode()).isNotZero();
    }

    @Test
    void theVenvIsBuiltForTheHostsPythonAndItsScriptsRunThere() {
        CliRun plan = CliRun.against(inventory, "plan");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).containsPattern("python /usr/bin/python3\\.11 \\(cpython 3\\.11\\.\\d+ \\S+ glibc 2\\.36\\)")
                .contains("greeter 1.0  greeter-1.0-py3-none-any.whl", "shout 1.0    shout-1.0-py3-none-any.whl");

        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();

        String venv = "/var/lib/deploy/current/roots/venv/app.app";
        ExecResult greet = host.exec(venv + "/bin/greet");
        assertThat(greet.exitCode()).as(greet.stderr()).isZero();
        assertThat(greet.stdout()).isEqualTo("HELLO FROM THE VENV\n");
        assertThat(host.exec(venv + "/bin/demo").stdout()).isEqualTo("HELLO FROM THE VENV\n");
        ExecResult pyc = host.exec("sh", "-c", "ls " + venv + "/lib/python3.11/site-packages/__pycache__/");
        assertThat(pyc.stdout()).contains("greeter.cpython-311.pyc", "shout.cpython-311.pyc");
        assertThat(host.exec("sh", "-c", "stat -c %a $(readlink -f " + venv + ")/lib/python3.11/site-packages/"
                + "__pycache__").stdout().strip()).as("sealed read-only after byte-compiling").isEqualTo("555");
        assertThat(CliRun.against(inventory, "plan").stdout()).contains("no changes");
    }
}
