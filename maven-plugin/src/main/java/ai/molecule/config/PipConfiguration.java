package ai.molecule.config;

import ai.molecule.core.MoleculeException;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code <pip>}: the pip layer's requirements, sources and target, with the index login from settings.xml. */
final class PipConfiguration {
    /** {@code -r file}, {@code --requirement=file}, {@code -c file}, {@code --constraint file}. */
    private static final Pattern INCLUDE = Pattern.compile("(?:-(r|c)|--(requirement|constraint))(?:\\s+|=)(\\S+)");

    static final String RUNTIME_VERSION_PROPERTY = "runtime.version";

    private PipConfiguration() {}

    /** {@code null} without {@code <pip>}. */
    static PipLayer of(RawConfiguration raw, Credentials credentials) throws MoleculeException, IOException {
        Pip pip = raw.pip();
        if (pip == null) {
            return null;
        }
        List<String> platforms = PipLayer.platformsFor(raw.architecture())
                .orElseThrow(() -> new InvalidConfigurationException(
                        "architecture",
                        "pip layers support amd64 and arm64, not '" + raw.architecture() + "'",
                        "Set <architecture> to amd64 or arm64, or drop <pip>"));
        String indexUrl = pip.indexUrl;
        if (pip.serverId != null) {
            if (indexUrl == null) {
                throw new InvalidConfigurationException(
                        "pip><serverId",
                        "server '" + pip.serverId + "' is named but no <indexUrl> is set",
                        "Set <indexUrl> to the index the server's credentials log in to, or remove <serverId>");
            }
            indexUrl = withLogin(indexUrl, ConfigurationProcessor.server(credentials, "pip><serverId", pip.serverId));
        }
        for (File directory : pip.findLinks) {
            if (!directory.isDirectory()) {
                throw new InvalidConfigurationException(
                        "pip><findLinks",
                        "wheelhouse directory " + directory.toPath() + " does not exist",
                        "Create it and put the wheels there, or remove it from <findLinks>");
            }
        }
        List<String> requirements = new ArrayList<>();
        if (pip.requirementsFile != null) {
            Path file = pip.requirementsFile.toPath();
            if (!Files.isRegularFile(file)) {
                throw new InvalidConfigurationException(
                        "pip><requirementsFile",
                        "requirements file " + file + " does not exist",
                        "Create it, or remove <requirementsFile> and list requirements in <requirements>");
            }
            requirements.addAll(fileLines(file, new ArrayList<>()));
        }
        requirements.addAll(pip.requirements);
        PipLayer.Builder layer = PipLayer.builder()
                .requirements(requirements)
                .runtimeVersion(blankToNull(
                        pip.runtimeVersion != null
                                ? pip.runtimeVersion
                                : raw.properties().get(RUNTIME_VERSION_PROPERTY)))
                .runtimePackage(pip.runtimePackage)
                .indexUrl(indexUrl)
                .noIndex(pip.noIndex)
                .pythonVersion(pythonVersion(pip.pythonVersion))
                .platforms(platforms);
        pip.extraIndexUrls.forEach(layer::extraIndexUrl);
        pip.findLinks.forEach(directory -> layer.findLinks(directory.toPath()));
        PipLayer built = layer.build();
        if (built.requirementLines().isEmpty()) {
            throw new InvalidConfigurationException(
                    "pip><requirements",
                    "the pip layer has no requirements",
                    "List packages in <requirements>, name a <requirementsFile>, or set <runtimeVersion>");
        }
        return built;
    }

    private static String pythonVersion(String version) throws InvalidConfigurationException {
        if (version != null && !version.matches("3\\.\\d{1,2}")) {
            throw new InvalidConfigurationException(
                    "pip><pythonVersion",
                    "'" + version + "' is not a Python 3 major.minor version",
                    "Write it as 3.11, or remove it so that the layer targets the image's Python");
        }
        return version;
    }

    /** An empty {@code runtime.version} (the template parent's default) means "not pinned". */
    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
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

    /** {@code url} with the server's login in it, for pip; pip's messages and the layer key show it as {@code ***}. */
    private static String withLogin(String url, Credentials.Login login) throws InvalidConfigurationException {
        int scheme = url.indexOf("://");
        if (scheme < 0 || url.substring(scheme + 3).contains("@")) {
            throw new InvalidConfigurationException(
                    "pip><indexUrl",
                    "'" + UrlLogins.redact(url) + "' is not an http(s) URL without credentials",
                    "Write the index URL without user:password@; the login comes from <serverId>");
        }
        String userInfo = (login.username() == null ? "" : encode(login.username()) + ":")
                + encode(login.password() == null ? "" : login.password());
        return url.substring(0, scheme + 3) + userInfo + "@" + url.substring(scheme + 3);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
