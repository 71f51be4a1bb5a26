package dev.deploy.python;

import java.util.List;

/**
 * One script entry point of a wheel, such as {@code lnbits = lnbits.server:main} in {@code [console_scripts]}.
 *
 * @param group     {@code console_scripts} or {@code gui_scripts}
 * @param name      the script's file name in the venv's {@code bin}
 * @param module    the module to import, e.g. {@code lnbits.server}
 * @param attribute the callable within it, possibly dotted, e.g. {@code cli.main}
 * @param extras    extras named in brackets after the reference; they do not change the script
 */
public record EntryPoint(String group, String name, String module, String attribute, List<String> extras) {

    public EntryPoint {
        extras = List.copyOf(extras);
    }
}
