package ai.molecule.debian;

import ai.molecule.core.KeyDigest;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A suite's {@code InRelease} after its signature was verified: the signed deb822 fields and the
 * SHA-256 of every index file, which is what makes the indexes (and through them the packages)
 * trustworthy.
 *
 * @param url where it was fetched from
 * @param fields the signed paragraph ({@code Suite}, {@code Codename}, {@code Valid-Until}, …)
 * @param signedBy fingerprints of the trusted keys whose signatures matched
 * @param files the {@code SHA256:} list, keyed by path relative to {@code dists/<suite>/}
 */
public record InRelease(URI url, Map<String, String> fields, List<String> signedBy, Map<String, IndexFile> files) {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z", Locale.ENGLISH);

    /** One line of the {@code SHA256:} list. */
    public record IndexFile(String path, long size, String sha256) {}

    public InRelease {
        fields = Map.copyOf(fields);
        signedBy = List.copyOf(signedBy);
        files = Map.copyOf(files);
    }

    /**
     * Verifies {@code content} as the InRelease of {@code suite} fetched from {@code url}: at least
     * one signature by a trusted key over exactly the signed text, {@code Suite} or {@code
     * Codename} equal to {@code suite}, and (unless {@code allowExpired}) {@code Valid-Until}, if
     * present, after {@code now}.
     */
    public static InRelease verify(
            byte[] content, URI url, String suite, TrustedKeys keys, Instant now, boolean allowExpired)
            throws ArchiveIntegrityException {
        ClearSignedMessage message;
        ClearSignedMessage.Verdict verdict;
        try {
            message = ClearSignedMessage.parse(content);
            verdict = message.verify(keys, now);
        } catch (IOException e) {
            throw new ArchiveIntegrityException("InRelease of " + suite + " at " + url
                    + " is not a valid clearsigned file: " + e.getMessage()
                    + ". Something between here and the archive (a proxy, a captive portal) serves other"
                    + " content, or <archive> points at something that is not a Debian archive");
        }
        if (verdict.trusted().isEmpty()) {
            throw new ArchiveIntegrityException("InRelease of " + suite + " at " + url
                    + " has no valid signature by a trusted key; it is signed by "
                    + String.join(", ", verdict.others())
                    + ". If the archive is signed with another key, add its public key to <keyrings>"
                    + " (gpg --export --armor KEYID > key.asc); if it is Debian's own archive, the file"
                    + " was altered on the way: use another mirror or https in <archive>");
        }
        Map<String, String> fields;
        Map<String, IndexFile> files;
        try {
            List<Map<String, String>> paragraphs = ControlFile.parse(new StringReader(message.text()));
            if (paragraphs.size() != 1) {
                throw new IOException("it holds " + paragraphs.size() + " paragraphs instead of one");
            }
            fields = paragraphs.get(0);
            files = sha256List(fields.getOrDefault("SHA256", ""));
            String validUntil = fields.get("Valid-Until");
            if (validUntil != null && parseDate(validUntil).isEmpty()) {
                throw new IOException("Valid-Until '" + validUntil + "' is not a date");
            }
        } catch (IOException e) {
            throw new ArchiveIntegrityException("InRelease of " + suite + " at " + url
                    + " is signed but unreadable: " + e.getMessage() + ". The archive publishes a broken"
                    + " InRelease; use another mirror in <archive>");
        }
        InRelease release = new InRelease(url, fields, verdict.trusted(), files);
        if (!suite.equals(release.suite()) && !suite.equals(release.codename())) {
            throw new ArchiveIntegrityException("InRelease at " + url + " is for Suite '" + release.suite()
                    + "', Codename '" + release.codename() + "', not " + suite
                    + ": the mirror serves another suite under that name (a stale or misconfigured mirror)."
                    + " Check <suite> and use another mirror in <archive>");
        }
        Optional<Instant> validUntil = release.validUntil();
        if (!allowExpired && validUntil.isPresent() && validUntil.get().isBefore(now)) {
            throw new ArchiveIntegrityException("InRelease of " + suite + " at " + url + " expired at "
                    + validUntil.get() + " (Valid-Until; now is " + now + "): the mirror is stale or replays old"
                    + " metadata that may lack security fixes, or this machine's clock is wrong. Use an"
                    + " up-to-date mirror, or accept expired metadata explicitly");
        }
        return release;
    }

    public String suite() {
        return fields.getOrDefault("Suite", "");
    }

    public String codename() {
        return fields.getOrDefault("Codename", "");
    }

    /** When the archive stops vouching for this metadata (security suites carry it). */
    public Optional<Instant> validUntil() {
        return Optional.ofNullable(fields.get("Valid-Until")).flatMap(InRelease::parseDate);
    }

    /** The archive also serves index files at {@code by-hash/SHA256/<hex>}, immune to mirror updates mid-fetch. */
    public boolean acquireByHash() {
        return "yes".equalsIgnoreCase(fields.getOrDefault("Acquire-By-Hash", ""));
    }

    public List<String> components() {
        return words(fields.getOrDefault("Components", ""));
    }

    public List<String> architectures() {
        return words(fields.getOrDefault("Architectures", ""));
    }

    public Optional<IndexFile> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    private static Map<String, IndexFile> sha256List(String value) throws IOException {
        Map<String, IndexFile> files = new LinkedHashMap<>();
        for (String line : value.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 3 || !KeyDigest.isSha256Hex(parts[0]) || !parts[1].matches("[0-9]{1,18}")) {
                throw new IOException("SHA256 line '" + line.strip() + "' is not '<sha256> <size> <path>'");
            }
            files.put(parts[2], new IndexFile(parts[2], Long.parseLong(parts[1]), parts[0]));
        }
        return files;
    }

    /** Debian writes RFC 2822 dates with a zone name ({@code Sat, 30 Nov 2024 08:22:30 UTC}). */
    private static Optional<Instant> parseDate(String value) {
        for (DateTimeFormatter format : List.of(DATE, DateTimeFormatter.RFC_1123_DATE_TIME)) {
            try {
                return Optional.of(ZonedDateTime.parse(value.strip(), format).toInstant());
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return Optional.empty();
    }
}
