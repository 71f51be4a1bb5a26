package dev.deploy.activation;

import java.util.Locale;

/**
 * Lets the JDK's HTTP client send the Host header of a health-check URL (it normally refuses to: Host is a
 * restricted header). The JDK reads the setting once, when its HTTP internals load, so a program calls
 * {@link #allow()} before anything uses {@code java.net.http}; the venv wheel fetcher does, during evaluation, so the
 * CLI calls it first thing. Without it a check still runs, with the forward's address as Host.
 */
public final class HostHeader {

    static final String PROPERTY = "jdk.httpclient.allowRestrictedHeaders";

    private HostHeader() {
    }

    /** Adds {@code host} to the JDK's allowed restricted headers, keeping any already allowed. */
    public static void allow() {
        String current = System.getProperty(PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(PROPERTY, "host");
        } else if (!(("," + current.replace(" ", "") + ",").toLowerCase(Locale.ROOT).contains(",host,"))) {
            System.setProperty(PROPERTY, current + ",host");
        }
    }
}
