package ai.molecule.core;

import java.util.regex.Pattern;

/** Masks the {@code user:password@} of URLs in text, so that a login never reaches a log, key or message. */
public final class UrlLogins {
    private static final Pattern LOGIN = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

    private UrlLogins() {}

    /** {@code text} with any {@code user:password@} of a URL replaced by {@code ***@}; {@code null} stays null. */
    public static String redact(String text) {
        return text == null ? null : LOGIN.matcher(text).replaceAll("$1***@");
    }
}
