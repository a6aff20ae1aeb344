package ai.molecule.maven;

import ai.molecule.build.ImageBuilder;
import ai.molecule.build.RegistryAccess;
import ai.molecule.core.InvalidConfigurationException;
import ai.molecule.core.LayerCache;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.UrlLogins;
import ai.molecule.debian.LockFile;
import ai.molecule.files.FileLayers;
import ai.molecule.files.PermissionRule;
import ai.molecule.image.BaseImage;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import ai.molecule.image.OsPackages;
import ai.molecule.image.PipLayer;
import ai.molecule.workspace.WorkspaceAssets;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The parameters that describe an image, shared by the goals that need its spec. */
abstract class AbstractImageMojo extends AbstractMojo {

    /**
     * Add the workspace standard assets (entrypoint, askpass, git token helper, refresh daemon,
     * sudoers drop-in), the uid 1000 {@code agent} account and its {@code docker} group; needs
     * {@code <debian>}. Files of the template at the same paths win.
     */
    @Parameter(property = "molecule.workspace", defaultValue = "false")
    boolean workspace;

    /** Base image: {@code scratch}, {@code tar://<file>}, {@code docker://<name>} or {@code [registry://]<ref>}. */
    @Parameter(property = "molecule.base", defaultValue = "scratch")
    String base;

    /** Debian packages installed as one layer on the base, exactly as {@code molecule.lock} names them. */
    @Parameter
    Debian debian;

    /** The lock file of the Debian packages; written by {@code molecule:lock}. */
    @Parameter(property = "molecule.lockFile", defaultValue = "${project.basedir}/" + LockFile.FILE_NAME)
    File lockFile;

    /** Python packages (the workspace runtime) installed into the image's Python, the layer above the Debian one. */
    @Parameter
    Pip pip;

    /** npm packages (the agent CLI) installed globally under /usr/local, the layer above the pip one. */
    @Parameter
    Npm npm;

    /** Accounts added to /etc/passwd, /etc/shadow and /etc/group with the Debian layer, e.g. uid 1000 {@code agent}. */
    @Parameter
    List<UnixAccount> accounts = new ArrayList<>();

    /** Groups added with the Debian layer, e.g. {@code docker}. */
    @Parameter
    List<UnixGroup> groups = new ArrayList<>();

    /** Extra PEM CA certificates added to the image's CA bundle (e.g. a corporate TLS proxy's). */
    @Parameter
    List<File> caCertificates = new ArrayList<>();

    /** Directory of the build report and temporary files. */
    @Parameter(defaultValue = "${project.build.directory}/molecule", required = true)
    File outputDirectory;

    /** Template files mapped to the same paths in the image; default {@code src/main/image} when it exists. */
    @Parameter(property = "molecule.imageDirectory")
    File imageDirectory;

    /** Mode and numeric owner overrides for image paths matching a glob; later entries win. */
    @Parameter
    List<Permission> permissions = new ArrayList<>();

    /** Extra directories, each added as a layer of its own. */
    @Parameter
    List<FileSet> fileSets = new ArrayList<>();

    /** Environment variables of the container. */
    @Parameter
    Map<String, String> environment = new LinkedHashMap<>();

    /** User the container runs as, e.g. {@code 1000} or {@code agent}; default the base's. */
    @Parameter
    String user;

    /** Working directory of the container; default the base's. */
    @Parameter
    String workingDirectory;

    /** Entrypoint, one {@code <arg>} per element; default the base's. */
    @Parameter
    List<String> entrypoint;

    /** Cmd, one {@code <arg>} per element; default the base's unless the entrypoint is set. */
    @Parameter
    List<String> cmd;

    /** Image labels. */
    @Parameter
    Map<String, String> labels = new LinkedHashMap<>();

    /** Exposed ports, e.g. {@code 8000} or {@code 8000/tcp}. */
    @Parameter
    List<String> ports = new ArrayList<>();

    /** Volumes, as absolute image paths. */
    @Parameter
    List<String> volumes = new ArrayList<>();

    /** Build arguments such as {@code runtimeVersion}; each is recorded as an {@code ai.molecule.build-arg.*} label. */
    @Parameter
    Map<String, String> buildArgs = new LinkedHashMap<>();

    /** CPU architecture of the image, its Debian packages and a registry base. */
    @Parameter(property = "molecule.architecture", defaultValue = "amd64")
    String architecture;

    /** Content-keyed layer and download cache shared by builds; default {@code ~/.cache/molecule}. */
    @Parameter(property = "molecule.cacheDirectory")
    File cacheDirectory;

    /** Fixed timestamp of the image and every file in it (ISO-8601 or epoch seconds), for reproducible digests. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    String outputTimestamp;

    /** settings.xml server holding the base registry's credentials; default the base's registry host. */
    @Parameter(property = "molecule.baseServerId")
    String baseServerId;

    /** Allow registries (target and base) over plain HTTP; only for local and test registries. */
    @Parameter(property = "molecule.allowInsecureRegistries", defaultValue = "false")
    boolean allowInsecureRegistries;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    Settings settings;

    private final SettingsDecrypter decrypter;

    AbstractImageMojo(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    /** The core, offline when Maven is ({@code -o}). */
    ImageBuilder imageBuilder() throws IOException {
        return new ImageBuilder(cacheRoot(), new MojoBuildLog(getLog()), session.isOffline());
    }

    private Path cacheRoot() {
        return cacheDirectory != null ? cacheDirectory.toPath() : LayerCache.defaultRoot();
    }

    RegistryAccess baseAccess(ImageSpec spec) throws MoleculeException {
        return spec.base() instanceof BaseImage.Registry registry
                ? access(baseServerId, registry.reference())
                : RegistryAccess.ANONYMOUS;
    }

    ImageSpec imageSpec() throws MoleculeException, IOException {
        Path basedir = project.getBasedir().toPath();
        List<PermissionRule> rules = new ArrayList<>();
        for (Permission permission : permissions) {
            rules.add(PermissionRule.parse(permission.path, permission.mode, permission.owner));
        }
        if (workspace && debian == null) {
            throw new InvalidConfigurationException(
                    "workspace",
                    "the workspace assets need the agent account, which is written with the Debian layer, but no"
                            + " <debian> is declared",
                    "Declare <debian> with the workspace packages (" + String.join(" ", WorkspaceAssets.PACKAGES)
                            + "), or set <workspace>false</workspace>");
        }
        List<String> entrypointArgs = entrypoint == null || entrypoint.isEmpty() ? null : entrypoint;
        List<String> cmdArgs = cmd == null || cmd.isEmpty() ? null : cmd;
        if (workspace && entrypointArgs == null) {
            entrypointArgs = List.of(WorkspaceAssets.ENTRYPOINT);
            cmdArgs = cmdArgs == null ? List.of(WorkspaceAssets.DEFAULT_CMD) : cmdArgs;
        }
        ImageSpec.Builder spec = ImageSpec.builder()
                .base(BaseImage.parse(base, basedir))
                .osPackages(osPackages())
                .pip(pipLayer())
                .npm(npmLayer())
                .environment(environment)
                .user(user)
                .workingDirectory(workingDirectory)
                .entrypoint(entrypointArgs)
                .cmd(cmdArgs)
                .labels(labels)
                .exposedPorts(ports.stream()
                        .map(p -> p.contains("/") ? p : p + "/tcp")
                        .toList())
                .volumes(volumes)
                .buildArgs(buildArgs)
                .creationTime(creationTime())
                .platform(architecture, "linux");
        if (workspace) {
            // Below the template's own layers, so a template file at an asset's path replaces it.
            spec.addLayer(WorkspaceAssets.layer(cacheRoot()));
        }
        Path images = imageDirectory != null ? imageDirectory.toPath() : basedir.resolve("src/main/image");
        if (imageDirectory != null || Files.isDirectory(images)) {
            spec.addLayer(FileLayers.scan(
                    "image-files", "imageDirectory", images, "/", List.of(), List.of(), rules, Map.of()));
        }
        for (int i = 0; i < fileSets.size(); i++) {
            FileSet set = fileSets.get(i);
            String element = "fileSets><fileSet #" + (i + 1) + "><directory";
            if (set.directory == null) {
                throw new InvalidConfigurationException(element, "no directory given", "Name the directory to add");
            }
            Map<String, String> args = new TreeMap<>();
            for (String name : set.buildArgs) {
                if (!buildArgs.containsKey(name)) {
                    throw new InvalidConfigurationException(
                            "fileSets><fileSet #" + (i + 1) + "><buildArgs",
                            "build argument '" + name + "' is not declared",
                            "Declare it under <buildArgs> or remove it from the file set");
                }
                args.put(name, buildArgs.get(name));
            }
            spec.addLayer(FileLayers.scan(
                    "files-" + (i + 1) + "-" + set.directory.getName(),
                    element,
                    set.directory.toPath(),
                    set.into,
                    set.includes,
                    set.excludes,
                    rules,
                    args));
        }
        return spec.build();
    }

    private OsPackages osPackages() throws InvalidConfigurationException {
        if (debian == null) {
            if (!accounts.isEmpty() || !groups.isEmpty() || !caCertificates.isEmpty()) {
                throw new InvalidConfigurationException(
                        "accounts",
                        "accounts, groups and CA certificates are written with the Debian layer, but no <debian> is"
                                + " declared",
                        "Declare <debian> with its <packages>, or add the files with <imageDirectory>");
            }
            return null;
        }
        if (debian.packages.isEmpty()) {
            throw new InvalidConfigurationException(
                    "debian><packages",
                    "no packages are listed",
                    "List the packages to install, e.g. <package>bash</package>");
        }
        DebianSpec spec = new DebianSpec(
                uri(debian.archive, "debian><archive"),
                uri(debian.securityArchive, "debian><securityArchive"),
                debian.suite,
                debian.components,
                architecture,
                debian.packages,
                debian.excludes,
                debian.includeRequired,
                debian.keyrings.stream().map(File::toPath).toList());
        List<ai.molecule.image.Account> users = new ArrayList<>();
        for (UnixAccount account : accounts) {
            users.add(account.toAccount());
        }
        List<ai.molecule.image.Group> declared = new ArrayList<>();
        for (UnixGroup group : groups) {
            declared.add(group.toGroup());
        }
        if (workspace) {
            if (users.stream().noneMatch(a -> a.name().equals(WorkspaceAssets.AGENT.name()))) {
                users.add(WorkspaceAssets.AGENT);
            }
            if (declared.stream().noneMatch(g -> g.name().equals(WorkspaceAssets.DOCKER.name()))) {
                declared.add(WorkspaceAssets.DOCKER);
            }
        }
        return new OsPackages(
                spec,
                lockFile.toPath(),
                users,
                declared,
                caCertificates.stream().map(File::toPath).toList());
    }

    private PipLayer pipLayer() throws MoleculeException {
        if (pip == null) {
            return null;
        }
        String indexUrl = pip.indexUrl;
        if (pip.serverId != null) {
            if (indexUrl == null) {
                throw new InvalidConfigurationException(
                        "pip><serverId",
                        "server '" + pip.serverId + "' is named but no <indexUrl> is set",
                        "Set <indexUrl> to the index the server's credentials log in to, or remove <serverId>");
            }
            indexUrl = withLogin(indexUrl, server("pip><serverId", pip.serverId));
        }
        PipLayer.Builder layer = PipLayer.builder()
                .requirementsFile(pip.requirementsFile == null ? null : pip.requirementsFile.toPath())
                .requirements(pip.requirements)
                .runtimeVersion(
                        blankToNull(pip.runtimeVersion != null ? pip.runtimeVersion : property("runtime.version")))
                .runtimePackage(pip.runtimePackage)
                .indexUrl(indexUrl)
                .noIndex(pip.noIndex)
                .pythonVersion(pip.pythonVersion)
                .platforms(PipLayer.platformsFor(architecture));
        pip.extraIndexUrls.forEach(layer::extraIndexUrl);
        pip.findLinks.forEach(directory -> layer.findLinks(directory.toPath()));
        return layer.build();
    }

    private NpmLayer npmLayer() throws MoleculeException {
        if (npm == null) {
            return null;
        }
        if (npm.packages.isEmpty()) {
            throw new InvalidConfigurationException(
                    "npm><packages",
                    "no packages are listed",
                    "List the packages to install, e.g. <package>@anthropic-ai/claude-code</package>");
        }
        NpmLayer.Credential credential = null;
        if (npm.serverId != null) {
            Server server = server("npm><serverId", npm.serverId);
            credential = new NpmLayer.Credential(server.getUsername(), server.getPassword());
        }
        try {
            return new NpmLayer(
                    npm.packages,
                    npm.registry,
                    NpmPlatform.forArchitecture(architecture),
                    NpmLayer.DEFAULT_PREFIX,
                    credential);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "npm", e.getMessage(), "Write each package as npm takes it and the registry as an http(s) URL");
        }
    }

    /** A build property as Maven resolves {@code ${name}}: -D first, then the POM's properties. */
    /** An empty {@code runtime.version} (the template parent's default) means "not pinned". */
    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String property(String name) {
        String value = session.getUserProperties().getProperty(name);
        return value != null ? value : project.getProperties().getProperty(name);
    }

    /** {@code url} with the server's login in it, for pip; pip's messages and the layer key show it as {@code ***}. */
    private static String withLogin(String url, Server server) throws InvalidConfigurationException {
        int scheme = url.indexOf("://");
        if (scheme < 0 || url.substring(scheme + 3).contains("@")) {
            throw new InvalidConfigurationException(
                    "pip><indexUrl",
                    "'" + UrlLogins.redact(url) + "' is not an http(s) URL without credentials",
                    "Write the index URL without user:password@; the login comes from <serverId>");
        }
        String login = (server.getUsername() == null ? "" : encode(server.getUsername()) + ":")
                + encode(server.getPassword() == null ? "" : server.getPassword());
        return url.substring(0, scheme + 3) + login + "@" + url.substring(scheme + 3);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI uri(String value, String element) throws InvalidConfigurationException {
        try {
            URI uri = URI.create(value.endsWith("/") ? value : value + "/");
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    element,
                    "'" + value + "' is not an http(s) URL",
                    "Write the archive's base URL, e.g. http://deb.debian.org/debian/");
        }
    }

    /** Credentials for the registry of {@code reference}, from the settings.xml server {@code serverId} or its host. */
    RegistryAccess access(String serverId, String reference) throws MoleculeException {
        String id = serverId != null ? serverId : ImageBuilder.registryHost(reference);
        if (settings.getServer(id) == null) {
            getLog().info("No <server> with id '" + id + "' in settings.xml; talking to it without credentials");
            return new RegistryAccess(null, allowInsecureRegistries);
        }
        Server clear = decrypt(settings.getServer(id));
        return new RegistryAccess(
                new RegistryAccess.Credential(id, clear.getUsername(), clear.getPassword()), allowInsecureRegistries);
    }

    /** The settings.xml server {@code id}, decrypted; {@code element} names the POM element that asked for it. */
    private Server server(String element, String id) throws MoleculeException {
        Server server = settings.getServer(id);
        if (server == null) {
            throw new InvalidConfigurationException(
                    element,
                    "settings.xml has no <server> with id '" + id + "'",
                    "Add one with the username and password (or token as password) to ~/.m2/settings.xml, or remove"
                            + " <serverId>");
        }
        return decrypt(server);
    }

    private Server decrypt(Server server) throws MoleculeException {
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MoleculeException("settings.xml server '" + server.getId() + "': " + problem.getMessage()
                        + ". Fix its password or ~/.m2/settings-security.xml");
            }
        }
        return decrypted.getServer();
    }

    private Instant creationTime() throws InvalidConfigurationException {
        String value = outputTimestamp == null ? "" : outputTimestamp.trim();
        if (value.length() <= 1) {
            return Instant.EPOCH.plusSeconds(1);
        }
        try {
            return value.matches("\\d+")
                    ? Instant.ofEpochSecond(Long.parseLong(value))
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidConfigurationException(
                    "project.build.outputTimestamp",
                    "'" + value + "' is not a timestamp",
                    "Write ISO-8601 such as 2026-01-01T00:00:00Z, or epoch seconds");
        }
    }
}
