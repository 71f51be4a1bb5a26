package dev.deploy.source;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials a repository URL may carry (RFC 3986 userinfo: {@code https://user:token@host/...}) kept out of
 * everything deploy shows or writes: plans, {@code deploy.lock}, messages, manifests. The one place that scrubs them;
 * only the fetch itself sees the URL as written.
 * <ul>
 *   <li>a password is replaced: {@code ssh://git:pw@host} becomes {@code ssh://git:***@host};</li>
 *   <li>for http(s) the whole userinfo is, since a token is often given as the user name
 *       ({@code https://ghp_...@github.com}): {@code https://***@github.com}; an SSH user name alone stays.</li>
 * </ul>
 */
public final class GitUrls {

    /** A scheme, then the authority's userinfo up to its last {@code @} (a raw {@code @} in a password too). */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\\s]*)@");

    private GitUrls() {
    }

    /** {@code text} (a URL, a reference or a message quoting one) with the userinfo of every URL in it scrubbed. */
    public static String redact(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher matcher = USERINFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
            String userinfo = matcher.group(2);
            int colon = userinfo.indexOf(':');
            String kept;
            if (scheme.endsWith("http") || scheme.endsWith("https")) {
                kept = colon < 0 ? "***" : userinfo.substring(0, colon) + ":***";
            } else {
                kept = colon < 0 ? userinfo : userinfo.substring(0, colon) + ":***";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + "://" + kept + "@"));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
