package ai.molecule.maven;

import ai.molecule.build.ImageBuilder;
import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.config.Debian;
import ai.molecule.config.FileSet;
import ai.molecule.config.Npm;
import ai.molecule.config.Permission;
import ai.molecule.config.Pip;
import ai.molecule.config.RawConfiguration;
import ai.molecule.config.UnixAccount;
import ai.molecule.config.UnixGroup;
import ai.molecule.core.LayerCache;
import ai.molecule.lock.MoleculeLock;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters that describe an image, shared by the goals that need them, and the wiring to the
 * core: the raw configuration, the settings.xml logins and the image builder.
 */
abstract class AbstractImageMojo extends AbstractMojo {

    /**
     * Add the workspace standard assets (entrypoint, askpass, git token helper, refresh daemon,
     * sudoers drop-in), the Debian packages they run with (to {@code <debian>}, which needs only its
     * suite then), the uid 1000 {@code agent} account and its {@code docker} group. Files of the
     * template at the same paths win.
     */
    @Parameter(property = "molecule.workspace", defaultValue = "false")
    boolean workspace;

    /** Base image: {@code scratch}, {@code tar://<file>}, {@code docker://<name>} or {@code [registry://]<ref>}. */
    @Parameter(property = "molecule.base", defaultValue = "scratch")
    String base;

    /** Debian packages installed as the bottom layer on the base, exactly as {@code molecule.lock} names them. */
    @Parameter
    Debian debian;

    /** The lock of every Debian, npm and pip component; written by {@code molecule:lock}. */
    @Parameter(property = "molecule.lockFile", defaultValue = "${project.basedir}/" + MoleculeLock.FILE_NAME)
    File lockFile;

    /** Python packages (the workspace runtime) installed into the image's Python, the layer above the npm one. */
    @Parameter
    Pip pip;

    /** npm packages (the agent CLI) installed globally under /usr/local, the layer above the Debian one. */
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

    /** The configuration stage over this goal's parameters and settings.xml's servers. */
    ConfigurationProcessor configuration() {
        return new ConfigurationProcessor(raw(), credentials(), new MojoBuildLog(getLog()));
    }

    /** settings.xml's servers, decrypted. */
    SettingsCredentials credentials() {
        return new SettingsCredentials(settings, decrypter);
    }

    /** The core, offline when Maven is ({@code -o}). */
    ImageBuilder imageBuilder() throws IOException {
        return new ImageBuilder(
                cacheDirectory != null ? cacheDirectory.toPath() : LayerCache.defaultRoot(),
                new MojoBuildLog(getLog()),
                session.isOffline());
    }

    private RawConfiguration raw() {
        // A build property as Maven resolves ${name}: -D first, then the POM's properties.
        Map<String, String> properties = new HashMap<>();
        project.getProperties().forEach((name, value) -> properties.put(name.toString(), value.toString()));
        session.getUserProperties().forEach((name, value) -> properties.put(name.toString(), value.toString()));
        return RawConfiguration.builder(project.getBasedir().toPath())
                .workspace(workspace)
                .base(base)
                .baseServerId(baseServerId)
                .allowInsecureRegistries(allowInsecureRegistries)
                .debian(debian)
                .lockFile(lockFile.toPath())
                .pip(pip)
                .npm(npm)
                .accounts(accounts)
                .groups(groups)
                .caCertificates(caCertificates.stream().map(File::toPath).toList())
                .imageDirectory(imageDirectory == null ? null : imageDirectory.toPath())
                .permissions(permissions)
                .fileSets(fileSets)
                .environment(environment)
                .user(user)
                .workingDirectory(workingDirectory)
                .entrypoint(entrypoint)
                .cmd(cmd)
                .labels(labels)
                .ports(ports)
                .volumes(volumes)
                .buildArgs(buildArgs)
                .architecture(architecture)
                .outputTimestamp(outputTimestamp)
                .properties(properties)
                .build();
    }
}
