package ai.molecule.sbom;

import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The licences of the packages in a layer, read from the layer itself, as image scanners read them:
 * Debian's {@code /usr/share/doc/<package>/copyright} (a doc directory may be a link to another
 * package's of the same source) and Python's {@code .dist-info/METADATA}. What a layer says is a
 * function of its bytes, so a layer built here, taken from the cache or fetched from a shared cache
 * gives the same SBOM; the result is kept in the cache under the layer's digest, so the layer is
 * read once per cache.
 */
public final class LayerLicences {
    /** Bump when what is read from a layer changes. */
    private static final String FORMAT = "licences1";

    private static final Pattern DOC = Pattern.compile("usr/share/doc/([^/]+)(/copyright)?");
    private static final Pattern DIST_INFO = Pattern.compile(".*/[^/]+\\.dist-info/METADATA");
    /** A copyright file or METADATA larger than this is read no further (its header comes first). */
    private static final int READ_LIMIT = 1 << 20;

    private LayerLicences() {}

    /**
     * {@code components}, the packages {@code layer} installed, each deb and pypi one with the licence
     * the layer states for it (npm's come with their lock); the layer is read only for the
     * ecosystems among them.
     */
    public static List<Component> apply(
            LayerCache cache, LayerCache.Blob layer, List<Component> components, BuildLog log) throws IOException {
        Map<String, String> debian = Map.of();
        Map<String, String> python = Map.of();
        if (components.stream().anyMatch(c -> c.type().equals("deb"))) {
            debian = debian(cache, layer, log);
        }
        if (components.stream().anyMatch(c -> c.type().equals("pypi"))) {
            python = python(cache, layer);
        }
        List<Component> licensed = new ArrayList<>();
        for (Component component : components) {
            String stated = switch (component.type()) {
                case "deb" -> debian.get(component.name());
                case "pypi" -> python.get(python(component.name(), component.version()));
                default -> null;
            };
            licensed.add(stated != null && component.license() == null ? component.withLicense(stated) : component);
        }
        return licensed;
    }

    /** Debian package name → the licence its copyright file states, for the packages that state one. */
    static Map<String, String> debian(LayerCache cache, LayerCache.Blob layer, BuildLog log) throws IOException {
        return cached(cache, "deb", layer, () -> {
            Map<String, String> copyrights = new HashMap<>();
            Map<String, String> links = new HashMap<>();
            try (TarFile tar = new TarFile(layer.path())) {
                for (TarArchiveEntry entry : tar.getEntries()) {
                    Matcher doc = DOC.matcher(path(entry));
                    if (!doc.matches()) {
                        continue;
                    }
                    String name = doc.group(1);
                    if (entry.isSymbolicLink()) {
                        linked(entry.getLinkName()).ifPresent(target -> links.put(name, target));
                    } else if (doc.group(2) != null && entry.isFile()) {
                        copyrights.put(name, read(tar, entry));
                    }
                }
            }
            Map<String, String> licences = new TreeMap<>();
            copyrights.forEach(
                    (name, text) -> DebianCopyright.licence(text).ifPresent(licence -> licences.put(name, licence)));
            links.forEach((name, target) -> {
                if (!copyrights.containsKey(name) && licences.containsKey(target)) {
                    licences.put(name, licences.get(target));
                }
            });
            log.info("Read the licences of " + licences.size() + " Debian packages from their copyright files");
            return licences;
        });
    }

    /** {@link PythonMetadata#normalize normalized name} + " " + version → the licence it states. */
    static Map<String, String> python(LayerCache cache, LayerCache.Blob layer) throws IOException {
        return cached(cache, "pypi", layer, () -> {
            Map<String, String> licences = new TreeMap<>();
            try (TarFile tar = new TarFile(layer.path())) {
                for (TarArchiveEntry entry : tar.getEntries()) {
                    if (entry.isFile() && DIST_INFO.matcher(path(entry)).matches()) {
                        PythonMetadata.parse(read(tar, entry))
                                .ifPresent(metadata -> metadata.licence()
                                        .ifPresent(licence ->
                                                licences.put(python(metadata.name(), metadata.version()), licence)));
                    }
                }
            }
            return licences;
        });
    }

    /** The key {@link #python} answers by. */
    static String python(String name, String version) {
        return PythonMetadata.normalize(name) + " " + version;
    }

    private static String path(TarArchiveEntry entry) {
        String name = entry.getName();
        while (name.startsWith("./") || name.startsWith("/")) {
            name = name.substring(name.startsWith("./") ? 2 : 1);
        }
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    /** The package a doc-directory link points at: {@code gcc-12-base}, {@code /usr/share/doc/gcc-12-base}. */
    private static Optional<String> linked(String target) {
        String name = target.startsWith("/usr/share/doc/") ? target.substring("/usr/share/doc/".length()) : target;
        name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(name);
    }

    private static String read(TarFile tar, TarArchiveEntry entry) throws IOException {
        try (InputStream in = tar.getInputStream(entry)) {
            return new String(in.readNBytes(READ_LIMIT), StandardCharsets.UTF_8);
        }
    }

    private interface Scan {
        Map<String, String> run() throws IOException;
    }

    /** Lines of {@code name TAB licence}, sorted, under the layer's digest. */
    private static Map<String, String> cached(LayerCache cache, String kind, LayerCache.Blob layer, Scan scan)
            throws IOException {
        String key = FORMAT + "-" + kind + "-" + layer.hex();
        Optional<LayerCache.Blob> hit = cache.lookup(key);
        if (hit.isPresent()) {
            Map<String, String> licences = new TreeMap<>();
            for (String line : Files.readAllLines(hit.get().path(), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    licences.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
            return licences;
        }
        Map<String, String> licences = new TreeMap<>();
        scan.run().forEach((name, licence) -> licences.put(name, licence.replaceAll("\\s+", " ")));
        StringBuilder text = new StringBuilder();
        licences.forEach((name, licence) ->
                text.append(name).append('\t').append(licence).append('\n'));
        cache.store(key, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
        return licences;
    }
}
