package ai.molecule.debian;

import ai.molecule.image.DebianSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * A small Debian archive on disk, laid out as deb.debian.org is: {@code debian/} holds {@code
 * molecule} and {@code molecule-updates}, {@code debian-security/} holds {@code
 * molecule-security}; each suite has {@code main/binary-amd64/Packages{,.xz}} and an InRelease
 * clearsigned by a test key.
 */
final class SignedTestArchive {
    static final String SUITE = "molecule";
    static final DateTimeFormatter DEBIAN_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final Path root;
    private final ArchiveServer server;
    private final Map<String, List<String>> stanzas = new LinkedHashMap<>();

    SignedTestArchive(Path root, ArchiveServer server) {
        this.root = root;
        this.server = server;
        for (String suite : List.of(SUITE + "-security", SUITE + "-updates", SUITE)) {
            stanzas.put(suite, new ArrayList<>());
        }
    }

    URI archive() {
        return server.uri("debian/");
    }

    URI securityArchive() {
        return server.uri("debian-security/");
    }

    DebianSpec spec(Path keyring) {
        return spec(SUITE, keyring);
    }

    DebianSpec spec(String suite, Path keyring) {
        return new DebianSpec(
                archive(),
                securityArchive(),
                suite,
                List.of("main"),
                "amd64",
                List.of("hello"),
                List.of(),
                false,
                List.of(keyring));
    }

    /** Adds a .deb (arbitrary bytes: the client only hashes it) to {@code suite}'s pool and index. */
    LockedPackage addPackage(String suite, String name, String version) throws IOException {
        byte[] deb = ("!<arch>\n" + name + " " + version + " for " + suite + "\n")
                .repeat(40)
                .getBytes(StandardCharsets.UTF_8);
        String path = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_amd64.deb";
        Path file = archiveDir(suite).resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, deb);
        String sha256 = sha256(deb);
        stanzas.get(suite)
                .add("Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\nFilename: " + path
                        + "\nSize: " + deb.length + "\nSHA256: " + sha256 + "\nDescription: test package " + name
                        + "\n multi-line description\n");
        return new LockedPackage(name, version, "amd64", baseUri(suite), path, deb.length, sha256);
    }

    /** Writes every suite's indexes and InRelease, signed by {@code signer}. */
    void publish(TestSigner signer) throws IOException {
        for (String suite : stanzas.keySet()) {
            publish(suite, signer, null, true);
        }
    }

    /**
     * Writes one suite's {@code Packages}, {@code Packages.xz} (or {@code Packages.gz} without
     * {@code xz}) and InRelease, with {@code validUntil} unless it is null.
     */
    void publish(String suite, TestSigner signer, Instant validUntil, boolean xz) throws IOException {
        Path dir = suiteDir(suite);
        Path binary = dir.resolve("main/binary-amd64");
        Files.createDirectories(binary);
        byte[] packages = String.join("\n", stanzas.get(suite)).getBytes(StandardCharsets.UTF_8);
        Files.write(binary.resolve("Packages"), packages);
        Files.deleteIfExists(binary.resolve("Packages.xz"));
        Files.deleteIfExists(binary.resolve("Packages.gz"));
        Path compressed = binary.resolve(xz ? "Packages.xz" : "Packages.gz");
        Files.write(compressed, xz ? xz(packages) : gzip(packages));
        StringBuilder release = new StringBuilder()
                .append("Origin: Molecule Test\nLabel: Molecule Test\n")
                .append("Suite: ")
                .append(suite.replace(SUITE, "stable"))
                .append("\nCodename: ")
                .append(suite)
                .append("\nDate: ")
                .append(DEBIAN_DATE.format(Instant.now()))
                .append('\n');
        if (validUntil != null) {
            release.append("Valid-Until: ")
                    .append(DEBIAN_DATE.format(validUntil))
                    .append('\n');
        }
        release.append("Architectures: amd64\nComponents: main\nDescription: a test archive\nSHA256:\n");
        for (Path file : List.of(binary.resolve("Packages"), compressed)) {
            byte[] bytes = Files.readAllBytes(file);
            release.append(' ')
                    .append(sha256(bytes))
                    .append(' ')
                    .append(bytes.length)
                    .append(" main/binary-amd64/")
                    .append(file.getFileName())
                    .append('\n');
        }
        Files.writeString(dir.resolve("InRelease"), TestSigner.clearsign(release.toString(), signer));
    }

    /** Server path of a suite's file, e.g. {@code debian/dists/molecule/InRelease}. */
    String path(String suite, String file) {
        return (suite.endsWith("-security") ? "debian-security" : "debian") + "/dists/" + suite + "/" + file;
    }

    String packagePath(LockedPackage lockedPackage) {
        return (lockedPackage.archive().equals(securityArchive()) ? "debian-security/" : "debian/")
                + lockedPackage.path();
    }

    Path suiteDir(String suite) {
        return archiveDir(suite).resolve("dists").resolve(suite);
    }

    static byte[] xz(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI baseUri(String suite) {
        return suite.endsWith("-security") ? securityArchive() : archive();
    }

    private Path archiveDir(String suite) {
        return root.resolve(suite.endsWith("-security") ? "debian-security" : "debian");
    }
}
