package ai.molecule.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a tar back for assertions: entries in order, and file contents as text. */
public final class TarEntries {
    private TarEntries() {}

    public static Map<String, TarArchiveEntry> read(Path tar) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            return read(in);
        }
    }

    public static Map<String, TarArchiveEntry> read(InputStream stream) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(stream);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            entries.put(entry.getName(), entry);
        }
        return entries;
    }

    public static Map<String, String> texts(Path tar) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.isFile()) {
                    texts.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return texts;
    }
}
