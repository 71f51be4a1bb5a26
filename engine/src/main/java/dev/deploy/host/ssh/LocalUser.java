package dev.deploy.host.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's user id and host name, as OpenSSH's {@code %i} and {@code %l} tokens give them. */
final class LocalUser {

    private LocalUser() {
    }

    /** The numeric user id of this process (the owner of {@code /proc/self} on Linux). */
    static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return System.getProperty("user.name").equals("root") ? "0" : "";
        }
    }

    /** The host name as gethostname(2) returns it (no DNS lookup), else the JDK's local host name. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "localhost";
            }
        }
    }
}
