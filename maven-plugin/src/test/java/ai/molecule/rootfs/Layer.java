package ai.molecule.rootfs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** An assembled layer tar read back for assertions: entries in order, file contents as text. */
record Layer(byte[] bytes, List<TarArchiveEntry> entries, Map<String, String> texts, RootfsAssembler.Result result) {

    static Layer assemble(RootfsAssembler assembler) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RootfsAssembler.Result result = assembler.assemble(out);
        byte[] bytes = out.toByteArray();
        List<TarArchiveEntry> entries = new ArrayList<>();
        Map<String, String> texts = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.add(entry);
                if (entry.isFile()) {
                    texts.put("/" + entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return new Layer(bytes, entries, texts, result);
    }

    /** The entry at absolute {@code path} (a directory's tar name ends with '/'). */
    TarArchiveEntry entry(String path) {
        return entries.stream()
                .filter(e -> ("/" + e.getName()).equals(path) || ("/" + e.getName()).equals(path + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("layer has no entry " + path + "; it has " + paths()));
    }

    boolean has(String path) {
        return entries.stream()
                .anyMatch(e -> ("/" + e.getName()).equals(path) || ("/" + e.getName()).equals(path + "/"));
    }

    String text(String path) {
        String text = texts.get(path);
        if (text == null) {
            throw new AssertionError("layer has no regular file " + path);
        }
        return text;
    }

    int mode(String path) {
        return entry(path).getMode() & 07777;
    }

    /** Absolute paths in layer order, directories without the trailing '/'. */
    List<String> paths() {
        return entries.stream()
                .map(e -> "/"
                        + (e.getName().endsWith("/")
                                ? e.getName().substring(0, e.getName().length() - 1)
                                : e.getName()))
                .toList();
    }

    String owner(String path) {
        TarArchiveEntry entry = entry(path);
        return entry.getLongUserId() + ":" + entry.getLongGroupId();
    }
}
