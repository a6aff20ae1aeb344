package ai.molecule.validate;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds credential-shaped strings in text: GitHub, AWS, GCP service-account, PEM private, Anthropic,
 * OpenAI and Slack keys. A finding names its line and kind and at most a redacted prefix, never the
 * value. Binary files (a NUL byte in the first 8 KiB) are skipped.
 *
 * <p>Not a finding, by explicit rule: a value with fewer than {@value #MIN_DISTINCT} distinct
 * characters after its prefix ({@code ghp_xxxx…}, {@code AKIA0000…}), a value without a digit
 * ({@code sk-ant-your-key-here}, {@code sk-learn-compatible}: random keys of these lengths all but
 * always hold one), a value containing {@code EXAMPLE} (AWS's documented keys), and a PEM header with no key body after it (a script that greps
 * for the header). {@code ${VAR}} and {@code <token>} never match the key shapes in the first place.
 */
public final class SecretScanner {
    static final int MIN_DISTINCT = 6;
    private static final int BINARY_PROBE = 8192;

    /** One credential-shaped string: 1-based line, what kind it looks like, and a redacted prefix. */
    public record Finding(int line, String kind, String redacted) {}

    /** A finding inside a tar, at the entry's path in the image. */
    public record TarFinding(String path, Finding finding) {}

    private record Shape(String kind, Pattern pattern, String prefix) {}

    // Order matters: the first shape that matches a stretch of a line claims it.
    private static final List<Shape> SHAPES = List.of(
            new Shape(
                    "GCP service-account private key",
                    Pattern.compile(
                            "\"private_key\"\\s*:\\s*\"-----BEGIN [A-Z ]*PRIVATE KEY-----\\\\n([A-Za-z0-9+/=]{32,})"),
                    "\"private_key\": \"-----BEGIN PRIVATE KEY-----****"),
            new Shape("GitHub token", Pattern.compile("\\b(gh[pousr]_)([A-Za-z0-9]{36,255})\\b"), null),
            new Shape("GitHub fine-grained token", Pattern.compile("\\b(github_pat_)([A-Za-z0-9_]{22,255})\\b"), null),
            new Shape("AWS access key id", Pattern.compile("\\b(AKIA|ASIA)([0-9A-Z]{16})\\b"), null),
            new Shape(
                    "AWS secret access key",
                    Pattern.compile(
                            "(?i)(aws_?secret_?access_?key\\s*[:=]\\s*[\"']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"),
                    "aws_secret_access_key=****"),
            new Shape("Anthropic API key", Pattern.compile("\\b(sk-ant-)([A-Za-z0-9_-]{20,})"), null),
            new Shape("OpenAI project key", Pattern.compile("\\b(sk-proj-)([A-Za-z0-9_-]{20,})"), null),
            new Shape("OpenAI API key", Pattern.compile("\\b(sk-)(?!ant-|proj-)([A-Za-z0-9_-]{20,})"), null),
            new Shape("Slack token", Pattern.compile("\\b(xox[abposr]-)([A-Za-z0-9-]{10,})"), null));

    private static final Pattern PEM_HEADER =
            Pattern.compile("-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern PEM_BODY = Pattern.compile("(?:[A-Za-z0-9+/=]{32,}|Proc-Type:.*|Version:.*)");

    private SecretScanner() {}

    /** The findings of one file's bytes, or none when they look binary. */
    public static List<Finding> scan(InputStream content) throws IOException {
        BufferedInputStream in = new BufferedInputStream(content, BINARY_PROBE * 2);
        in.mark(BINARY_PROBE);
        byte[] head = in.readNBytes(BINARY_PROBE);
        in.reset();
        for (byte b : head) {
            if (b == 0) {
                return List.of();
            }
        }
        // ISO-8859-1 maps every byte to one char, so no input is malformed and the shapes stay ASCII.
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        List<Finding> findings = new ArrayList<>();
        int number = 0;
        int pendingPem = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            if (pendingPem > 0 && PEM_BODY.matcher(line.strip()).matches()) {
                findings.add(new Finding(pendingPem, "PEM private key", "-----BEGIN PRIVATE KEY-----****"));
            }
            pendingPem = 0;
            boolean claimed = scanLine(line, number, findings);
            Matcher pem = PEM_HEADER.matcher(line);
            if (!claimed && pem.find()) {
                String after = line.substring(pem.end());
                if (after.startsWith("\\n")
                        && PEM_BODY.matcher(after.substring(2).split("\\\\n")[0])
                                .matches()) {
                    findings.add(new Finding(number, "PEM private key", "-----BEGIN PRIVATE KEY-----****"));
                } else if (after.isBlank()) {
                    pendingPem = number;
                }
            }
        }
        return findings;
    }

    /** The findings of every regular file of a tar, e.g. a layer written by {@code LayerTarWriter}. */
    public static List<TarFinding> scanTar(InputStream tar) throws IOException {
        List<TarFinding> findings = new ArrayList<>();
        TarArchiveInputStream entries = new TarArchiveInputStream(tar, "UTF-8");
        for (TarArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
            if (entry.isFile()) {
                String path = "/" + entry.getName();
                scan(entries).forEach(finding -> findings.add(new TarFinding(path, finding)));
            }
        }
        return findings;
    }

    /** Adds the line's findings; true when any shape matched. */
    private static boolean scanLine(String line, int number, List<Finding> findings) {
        boolean claimed = false;
        StringBuilder rest = new StringBuilder(line);
        for (Shape shape : SHAPES) {
            Matcher matcher = shape.pattern().matcher(rest.toString());
            List<int[]> stretches = new ArrayList<>();
            while (matcher.find()) {
                String value = matcher.group(matcher.groupCount());
                if (!placeholder(value)) {
                    String shown = shape.prefix() != null ? shape.prefix() : matcher.group(1) + "****";
                    findings.add(new Finding(number, shape.kind(), shown));
                    claimed = true;
                }
                stretches.add(new int[] {matcher.start(), matcher.end()});
            }
            // Blank what matched so that a later, looser shape does not report it again.
            for (int[] stretch : stretches) {
                for (int i = stretch[0]; i < stretch[1]; i++) {
                    rest.setCharAt(i, ' ');
                }
            }
        }
        return claimed;
    }

    /** Obviously not a secret: too few distinct characters, no digit at all (prose), or a documented example. */
    static boolean placeholder(String value) {
        return value.chars().distinct().count() < MIN_DISTINCT
                || value.chars().noneMatch(Character::isDigit)
                || value.toUpperCase(Locale.ROOT).contains("EXAMPLE");
    }
}
