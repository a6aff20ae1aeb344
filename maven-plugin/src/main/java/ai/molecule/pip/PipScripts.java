package ai.molecule.pip;

import ai.molecule.core.KeyDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the console scripts pip wrote for the host run in the image: their shebang names the
 * image's interpreter, and each {@code RECORD} points at them where they land, with their new hash.
 */
final class PipScripts {
    /** Where pip's {@code --target} install records scripts, relative to the packages directory. */
    private static final String TARGET_BIN = "../../bin/";

    private PipScripts() {}

    /** Rewrites the shebang of every script in {@code bin} to {@code #!<interpreter>}. */
    static void rewriteShebangs(Path bin, String interpreter) throws IOException {
        if (!Files.isDirectory(bin)) {
            return;
        }
        try (Stream<Path> scripts = Files.list(bin)) {
            for (Path script : scripts.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(script);
                if (bytes.length < 2 || bytes[0] != '#' || bytes[1] != '!') {
                    continue;
                }
                List<String> lines = new ArrayList<>(
                        new String(bytes, StandardCharsets.UTF_8).lines().toList());
                // pip writes a /bin/sh trampoline instead of a shebang when the host's interpreter path is long.
                int drop = lines.size() > 2 && lines.get(1).startsWith("'''exec'") ? 3 : 1;
                if (drop == 1 && !lines.get(0).contains("python")) {
                    continue;
                }
                lines.subList(0, drop).clear();
                lines.add(0, "#!" + interpreter);
                Files.writeString(script, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            }
        }
    }

    /** Points each {@code RECORD} line for a script at {@code binRelative}, with the script's new hash. */
    static void rewriteRecords(Path site, Path bin, String binRelative) throws IOException {
        List<Path> records;
        try (Stream<Path> dirs = Files.list(site)) {
            records = dirs.filter(dir -> dir.getFileName().toString().endsWith(".dist-info"))
                    .map(dir -> dir.resolve("RECORD"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        for (Path record : records) {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                if (line.startsWith(TARGET_BIN)) {
                    String name = line.substring(TARGET_BIN.length(), line.indexOf(','));
                    Path script = bin.resolve(name);
                    if (Files.isRegularFile(script)) {
                        line = binRelative + "/" + name + "," + recordHash(script) + "," + Files.size(script);
                    }
                }
                lines.add(line);
            }
            Files.writeString(record, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        }
    }

    private static String recordHash(Path file) throws IOException {
        MessageDigest sha = KeyDigest.sha256();
        byte[] digest = sha.digest(Files.readAllBytes(file));
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
