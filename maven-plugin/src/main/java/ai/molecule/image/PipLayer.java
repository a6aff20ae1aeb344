package ai.molecule.image;

import ai.molecule.core.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inputs of a pip layer: what to install (requirement lines, optionally a pinned runtime), where
 * from (index, extra indexes, find-links directories) and for which image (Python version, platform
 * tags, install paths). Every field goes into the layer's cache key.
 *
 * @param requirementsFile a requirements file whose lines come first; {@code null} for none
 * @param requirements further requirement lines
 * @param runtimeVersion when set, {@code <runtimePackage>==<runtimeVersion>} replaces any other
 *     requirement on the runtime package; {@code null} leaves the requirements as they are
 * @param indexUrl the primary index; {@code null} for pip's default (or none with {@code noIndex})
 * @param pythonVersion the image's Python, {@code major.minor}, e.g. {@code 3.11}; {@code null} until
 *     {@link #forPython} fills in the image's
 * @param sitePackages where packages land; {@code null} for {@code /usr/local/lib/python<version>/dist-packages}
 * @param interpreter the image's interpreter, written into the shebang of every console script
 */
public record PipLayer(
        Path requirementsFile,
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

    /** {@code -r file}, {@code --requirement=file}, {@code -c file}, {@code --constraint file}. */
    private static final Pattern INCLUDE = Pattern.compile("(?:-(r|c)|--(requirement|constraint))(?:\\s+|=)(\\S+)");

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
                requirementsFile,
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

    /** pip's platform tags for an image architecture (Debian's name, e.g. {@code amd64}). */
    public static List<String> platformsFor(String architecture) throws InvalidConfigurationException {
        String machine = switch (architecture) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default ->
                throw new InvalidConfigurationException(
                        "architecture",
                        "pip layers support amd64 and arm64, not '" + architecture + "'",
                        "Set <architecture> to amd64 or arm64, or drop <pip>");
        };
        return List.of("manylinux2014_" + machine, "linux_" + machine, "any");
    }

    /**
     * The requirement lines pip receives: the file's lines, then the listed ones, comments and
     * blank lines dropped, with the pinned runtime last in place of any other runtime requirement.
     */
    public List<String> requirementLines() throws InvalidConfigurationException, IOException {
        List<String> lines = new ArrayList<>();
        if (requirementsFile != null) {
            if (!Files.isRegularFile(requirementsFile)) {
                throw new InvalidConfigurationException(
                        "pip><requirementsFile",
                        "requirements file " + requirementsFile + " does not exist",
                        "Create it, or remove <requirementsFile> and list requirements in <requirements>");
            }
            lines.addAll(fileLines(requirementsFile, new ArrayList<>()));
        }
        lines.addAll(requirements);
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
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

    /**
     * A requirements file's lines with its {@code -r} includes inlined and its {@code -c} constraint
     * paths made absolute, both relative to the file that names them, as pip reads them.
     */
    private static List<String> fileLines(Path file, List<Path> including)
            throws InvalidConfigurationException, IOException {
        List<String> lines = new ArrayList<>();
        List<String> raw = Files.readAllLines(file);
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i).replaceFirst("(^|\\s)#.*$", "").strip();
            Matcher include = INCLUDE.matcher(text);
            if (!include.matches() || include.group(3).contains("://")) {
                lines.add(text);
                continue;
            }
            Path named =
                    file.toAbsolutePath().getParent().resolve(include.group(3)).normalize();
            String where = file + " line " + (i + 1);
            if (!Files.isRegularFile(named)) {
                throw new InvalidConfigurationException(
                        "pip><requirementsFile",
                        where + " names " + named + ", which does not exist",
                        "Fix the path; -r and -c paths are relative to the file that names them");
            }
            if (including.contains(named) || named.equals(file.toAbsolutePath().normalize())) {
                throw new InvalidConfigurationException(
                        "pip><requirementsFile",
                        where + " includes " + named + " again, a cycle",
                        "Remove the -r line that closes the cycle");
            }
            String kind = include.group(1) != null
                    ? include.group(1)
                    : include.group(2).substring(0, 1);
            if (kind.equals("c")) {
                lines.add("-c " + named);
            } else {
                List<Path> chain = new ArrayList<>(including);
                chain.add(file.toAbsolutePath().normalize());
                lines.addAll(fileLines(named, chain));
            }
        }
        return lines;
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
        private Path requirementsFile;
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

        public Builder requirementsFile(Path file) {
            this.requirementsFile = file;
            return this;
        }

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
                    requirementsFile,
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
