package ai.molecule.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TEST STAND-IN for the Molecule workspace runtime wheel — a pure-Python package with one
 * console script, {@code molecule-runtime}, that prints its version — so pip layers can be built
 * and checked without any index.
 */
public final class PipStandInWheels {
    public static final String PROJECT = "molecule-ai-workspace-runtime";
    public static final String SCRIPT = "molecule-runtime";
    public static final String MODULE = "molecule_runtime_standin";
    /** The licence the stand-in's METADATA states. */
    public static final String LICENSE = "Apache-2.0";

    private static final FileTime EPOCH = FileTime.fromMillis(315_532_800_000L);

    private PipStandInWheels() {}

    /** Writes {@code molecule_ai_workspace_runtime-<version>-py3-none-any.whl} into {@code wheelhouse}. */
    public static Path write(Path wheelhouse, String version) throws IOException {
        String distInfo = "molecule_ai_workspace_runtime-" + version + ".dist-info";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                MODULE + "/__init__.py",
                "__version__ = \"" + version
                        + "\"\n\n\ndef main():\n    print(\"molecule-runtime stand-in \" + __version__)\n");
        files.put(
                distInfo + "/METADATA",
                "Metadata-Version: 2.1\nName: " + PROJECT + "\nVersion: " + version
                        + "\nLicense: " + LICENSE
                        + "\nSummary: TEST STAND-IN for the Molecule workspace runtime, built by the plugin's tests;"
                        + " not the real package\n");
        files.put(
                distInfo + "/WHEEL",
                "Wheel-Version: 1.0\nGenerator: molecule-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        files.put(distInfo + "/entry_points.txt", "[console_scripts]\n" + SCRIPT + " = " + MODULE + ":main\n");
        StringBuilder record = new StringBuilder();
        files.forEach((name, text) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            record.append(name)
                    .append(",sha256=")
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)))
                    .append(',')
                    .append(bytes.length)
                    .append('\n');
        });
        record.append(distInfo).append("/RECORD,,\n");
        files.put(distInfo + "/RECORD", record.toString());

        Files.createDirectories(wheelhouse);
        Path wheel = wheelhouse.resolve("molecule_ai_workspace_runtime-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setLastModifiedTime(EPOCH);
                zip.putNextEntry(entry);
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return wheel;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
