package dev.deploy.python;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 name normalization, also used for extra names (PEP 685). */
public final class PackageNames {

    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    private PackageNames() {
    }

    /** Lower case, with every run of {@code -}, {@code _} and {@code .} replaced by one {@code -}. */
    public static String normalize(String name) {
        return SEPARATORS.matcher(name.strip()).replaceAll("-").toLowerCase(Locale.ROOT);
    }
}
