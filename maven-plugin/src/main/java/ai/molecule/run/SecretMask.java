package ai.molecule.run;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Replaces secret values in text with {@code ****}, longest first, before the text reaches a log. */
final class SecretMask {
    static final String MASK = "****";
    /** Shorter values ("1", "true") are configuration, not secrets, and masking them would garble every line. */
    static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    SecretMask(Collection<String> values) {
        this.secrets = values.stream()
                .filter(Objects::nonNull)
                .filter(value -> value.length() >= MIN_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String apply(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
