package ai.molecule.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The inputs of a pip layer: what to install (requirement lines, optionally a pinned runtime), where
 * from (index, extra indexes, find-links directories) and for which image (Python version, platform
 * tags, install paths). Every field goes into the layer's cache key.
 *
 * @param requirements requirement lines as pip reads them (a requirements file's lines with its
 *     {@code -r} includes inlined and {@code -c} paths absolute, then the listed ones)
 * @param runtimeVersion when set, {@code <runtimePackage>==<runtimeVersion>} replaces any other
 *     requirement on the runtime package; {@code null} leaves the requirements as they are
 * @param indexUrl the primary index; {@code null} for pip's default (or none with {@code noIndex})
 * @param pythonVersion the image's Python, {@code major.minor}, e.g. {@code 3.11}; {@code null} until
 *     {@link #forPython} fills in the image's
 * @param sitePackages where packages land; {@code null} for {@code /usr/local/lib/python<version>/dist-packages}
 * @param interpreter the image's interpreter, written into the shebang of every console script
 */
public record PipLayer(
        List<String> requirements,
        String runtimeVersion,
        String runtimePackage,
        String indexUrl,
        List<String> extraIndexUrls,
        List<Path> findLinks,
        boolean noIndex,
        String pythonVersion,
        List<String> platforms,
        String sitePackages,
        String binDir,
        String interpreter) {

    public static final String DEFAULT_RUNTIME_PACKAGE = "molecule-ai-workspace-runtime";
    public static final String DEFAULT_PYTHON_VERSION = "3.11";
    public static final List<String> DEFAULT_PLATFORMS = List.of("manylinux2014_x86_64", "linux_x86_64", "any");
    public static final String DEFAULT_BIN_DIR = "/usr/local/bin";
    public static final String DEFAULT_INTERPRETER = "/usr/bin/python3";

    public PipLayer {
        requirements = List.copyOf(requirements);
        extraIndexUrls = List.copyOf(extraIndexUrls);
        findLinks = findLinks.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        platforms = List.copyOf(platforms);
        Objects.requireNonNull(runtimePackage, "runtimePackage");
        Objects.requireNonNull(binDir, "binDir");
        Objects.requireNonNull(interpreter, "interpreter");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This layer for an image whose Python is {@code version}: the version and the site-packages
     * directory are filled in where the layer left them open; set ones stay.
     */
    public PipLayer forPython(String version) {
        String python = pythonVersion != null ? pythonVersion : version;
        return new PipLayer(
                requirements,
                runtimeVersion,
                runtimePackage,
                indexUrl,
                extraIndexUrls,
                findLinks,
                noIndex,
                python,
                platforms,
                sitePackages != null ? sitePackages : "/usr/local/lib/python" + python + "/dist-packages",
                binDir,
                interpreter);
    }

    /** pip's platform tags for an image architecture (Debian's name, e.g. {@code amd64}); empty for one pip layers do not support. */
    public static Optional<List<String>> platformsFor(String architecture) {
        return switch (architecture) {
            case "amd64" -> Optional.of(List.of("manylinux2014_x86_64", "linux_x86_64", "any"));
            case "arm64" -> Optional.of(List.of("manylinux2014_aarch64", "linux_aarch64", "any"));
            default -> Optional.empty();
        };
    }

    /**
     * The requirement lines pip receives: comments and blank lines dropped, with the pinned runtime
     * last in place of any other requirement on the runtime package.
     */
    public List<String> requirementLines() {
        List<String> kept = new ArrayList<>();
        for (String line : requirements) {
            String text = line.replaceFirst("(^|\\s)#.*$", "").strip();
            if (text.isEmpty()
                    || runtimeVersion != null && requirementName(text).equals(normalize(runtimePackage))) {
                continue;
            }
            kept.add(text);
        }
        if (runtimeVersion != null) {
            kept.add(runtimeRequirement());
        }
        return List.copyOf(kept);
    }

    /** {@code <runtimePackage>==<runtimeVersion>}, or {@code null} without a runtime version. */
    public String runtimeRequirement() {
        return runtimeVersion == null ? null : runtimePackage + "==" + runtimeVersion;
    }

    /** The project name a requirement line names, normalized as PEP 503 does; "" for option lines. */
    public static String requirementName(String line) {
        if (line.startsWith("-")) {
            return "";
        }
        return normalize(line.split("[\\s\\[<>=!~;@(]", 2)[0]);
    }

    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** Collects a pip layer's inputs; the Python version is the image's unless set. */
    public static final class Builder {
        private final List<String> requirements = new ArrayList<>();
        private String runtimeVersion;
        private String runtimePackage = DEFAULT_RUNTIME_PACKAGE;
        private String indexUrl;
        private final List<String> extraIndexUrls = new ArrayList<>();
        private final List<Path> findLinks = new ArrayList<>();
        private boolean noIndex;
        private String pythonVersion;
        private List<String> platforms = DEFAULT_PLATFORMS;
        private String sitePackages;
        private String binDir = DEFAULT_BIN_DIR;
        private String interpreter = DEFAULT_INTERPRETER;

        private Builder() {}

        public Builder requirement(String line) {
            requirements.add(line);
            return this;
        }

        public Builder requirements(List<String> lines) {
            requirements.addAll(lines);
            return this;
        }

        public Builder runtimeVersion(String version) {
            this.runtimeVersion = version;
            return this;
        }

        public Builder runtimePackage(String name) {
            this.runtimePackage = name;
            return this;
        }

        public Builder indexUrl(String url) {
            this.indexUrl = url;
            return this;
        }

        public Builder extraIndexUrl(String url) {
            extraIndexUrls.add(url);
            return this;
        }

        public Builder findLinks(Path directory) {
            findLinks.add(directory);
            return this;
        }

        public Builder noIndex(boolean noIndex) {
            this.noIndex = noIndex;
            return this;
        }

        public Builder pythonVersion(String version) {
            this.pythonVersion = version;
            return this;
        }

        public Builder platforms(List<String> tags) {
            this.platforms = List.copyOf(tags);
            return this;
        }

        public Builder sitePackages(String path) {
            this.sitePackages = path;
            return this;
        }

        public Builder binDir(String path) {
            this.binDir = path;
            return this;
        }

        public Builder interpreter(String path) {
            this.interpreter = path;
            return this;
        }

        public PipLayer build() {
            return new PipLayer(
                    requirements,
                    runtimeVersion,
                    runtimePackage,
                    indexUrl,
                    extraIndexUrls,
                    findLinks,
                    noIndex,
                    pythonVersion,
                    platforms,
                    sitePackages,
                    binDir,
                    interpreter);
        }
    }
}
