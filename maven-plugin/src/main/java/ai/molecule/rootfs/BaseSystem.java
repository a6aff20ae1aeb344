package ai.molecule.rootfs;

import ai.molecule.debian.ControlFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The state of a base image that the assembler merges with instead of overwriting: the dpkg
 * database, accounts and alternatives, read from the base's layer tars.
 *
 * @param files text of the tracked files by absolute path: {@code /var/lib/dpkg/status}, {@code
 *     /etc/passwd}, {@code /etc/group}, {@code /etc/shadow}, {@code /etc/gshadow}, and everything
 *     under {@code /var/lib/dpkg/alternatives/} and {@code /var/lib/dpkg/triggers/}
 * @param links targets of the symlinks under {@code /etc/alternatives/}, by path
 * @param splitUsr {@code /bin}, {@code /sbin} or {@code /lib*} is a real directory in the base; a
 *     merged-/usr layer on top of it would hide its contents
 */
public record BaseSystem(Map<String, String> files, Map<String, String> links, boolean splitUsr) {
    /** No base: the assembled layer is the whole root filesystem. */
    public static final BaseSystem EMPTY = new BaseSystem(Map.of(), Map.of(), false);

    static final String STATUS = "/var/lib/dpkg/status";
    static final String ALTERNATIVES_STATE = "/var/lib/dpkg/alternatives/";
    static final String TRIGGERS = "/var/lib/dpkg/triggers/";
    static final String ALTERNATIVE_LINKS = "/etc/alternatives/";
    private static final Set<String> TRACKED =
            Set.of(STATUS, "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow");
    private static final Set<String> USR_ALIASES = Set.of("/bin", "/sbin", "/lib", "/lib32", "/libx32", "/lib64");

    public BaseSystem {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        links = Collections.unmodifiableMap(new TreeMap<>(links));
    }

    /** A base with just these files (tests, or a base known without its layers). */
    public static BaseSystem of(Map<String, String> files) {
        return new BaseSystem(files, Map.of(), false);
    }

    /**
     * Reads the base's layers, bottom first, as a container engine stacks them: later layers replace
     * files, {@code .wh.<name>} deletes {@code name}, {@code .wh..wh..opq} hides what lower layers
     * had in its directory. Layers may be plain or gzip-compressed tars.
     */
    public static BaseSystem read(List<Path> layers) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        Map<String, Boolean> aliasIsDirectory = new TreeMap<>();
        for (Path layer : layers) {
            Map<String, String> layerFiles = new HashMap<>();
            Map<String, String> layerLinks = new HashMap<>();
            Map<String, Boolean> layerAliases = new HashMap<>();
            List<String> deleted = new ArrayList<>();
            List<String> opaque = new ArrayList<>();
            try (InputStream in = open(layer);
                    TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    String path = normalize(entry.getName());
                    String name = path.substring(path.lastIndexOf('/') + 1);
                    String parent = path.substring(0, path.lastIndexOf('/'));
                    if (name.equals(".wh..wh..opq")) {
                        opaque.add(parent.isEmpty() ? "/" : parent);
                    } else if (name.startsWith(".wh.")) {
                        deleted.add(parent + "/" + name.substring(4));
                    } else if (USR_ALIASES.contains(path)) {
                        layerAliases.put(path, entry.isDirectory());
                    } else if (entry.isSymbolicLink() && path.startsWith(ALTERNATIVE_LINKS)) {
                        layerLinks.put(path, entry.getLinkName());
                    } else if (entry.isFile() && tracked(path)) {
                        layerFiles.put(path, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    } else if (entry.isLink() && tracked(path)) {
                        String target = normalize(entry.getLinkName());
                        String content = layerFiles.getOrDefault(target, files.get(target));
                        if (content != null) {
                            layerFiles.put(path, content);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IOException("Base layer " + layer + " cannot be read as a tar: " + e.getMessage(), e);
            }
            for (String dir : opaque) {
                removeUnder(files, dir, false);
                removeUnder(links, dir, false);
                removeUnder(aliasIsDirectory, dir, false);
            }
            for (String path : deleted) {
                removeUnder(files, path, true);
                removeUnder(links, path, true);
                removeUnder(aliasIsDirectory, path, true);
            }
            files.putAll(layerFiles);
            links.putAll(layerLinks);
            aliasIsDirectory.putAll(layerAliases);
        }
        return new BaseSystem(files, links, aliasIsDirectory.containsValue(true));
    }

    public String dpkgStatus() {
        return files.getOrDefault(STATUS, "");
    }

    public String passwd() {
        return files.getOrDefault("/etc/passwd", "");
    }

    public String group() {
        return files.getOrDefault("/etc/group", "");
    }

    public String shadow() {
        return files.getOrDefault("/etc/shadow", "");
    }

    public String gshadow() {
        return files.getOrDefault("/etc/gshadow", "");
    }

    /** Installed packages (status {@code install ok installed}) by name → version. */
    public Map<String, String> installed() {
        Map<String, String> installed = new TreeMap<>();
        for (Map<String, String> paragraph : statusParagraphs()) {
            if (paragraph.getOrDefault("Status", "").endsWith(" installed")) {
                installed.put(paragraph.get("Package"), paragraph.getOrDefault("Version", ""));
            }
        }
        return Collections.unmodifiableMap(installed);
    }

    /** The paragraphs of {@code /var/lib/dpkg/status}, in file order. */
    List<Map<String, String>> statusParagraphs() {
        try {
            return ControlFile.parse(new StringReader(dpkgStatus()));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the base image's " + STATUS + " is not valid deb822: " + e.getMessage(), e);
        }
    }

    /** Files under {@code prefix} (e.g. {@link #ALTERNATIVES_STATE}) by name relative to it. */
    Map<String, String> filesUnder(String prefix) {
        Map<String, String> under = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
                under.put(path.substring(prefix.length()), text);
            }
        });
        return under;
    }

    private static boolean tracked(String path) {
        return TRACKED.contains(path)
                || (path.startsWith(ALTERNATIVES_STATE) && path.indexOf('/', ALTERNATIVES_STATE.length()) < 0)
                || (path.startsWith(TRIGGERS) && path.indexOf('/', TRIGGERS.length()) < 0);
    }

    private static <V> void removeUnder(Map<String, V> map, String path, boolean inclusive) {
        String prefix = path.equals("/") ? "/" : path + "/";
        map.keySet().removeIf(key -> (inclusive && key.equals(path)) || key.startsWith(prefix));
    }

    private static String normalize(String tarName) {
        String name = tarName;
        while (name.startsWith("./") || name.startsWith("/")) {
            name = name.substring(name.startsWith("./") ? 2 : 1);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return "/" + name;
    }

    private static InputStream open(Path layer) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(layer), 1 << 16);
        in.mark(2);
        int magic = in.read() | (in.read() << 8);
        in.reset();
        return magic == GZIPInputStream.GZIP_MAGIC ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
