package ai.molecule.config;

import ai.molecule.build.CacheRepository;
import ai.molecule.build.DockerTarget;
import ai.molecule.build.RegistryAccess;
import ai.molecule.build.RegistryTarget;
import ai.molecule.build.SpecSource;
import ai.molecule.build.TarTarget;
import ai.molecule.build.Target;
import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.BaseImage;
import ai.molecule.image.ImageSpec;
import ai.molecule.workspace.WorkspaceAssets;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration stage: turns the POM's raw parameters and the settings.xml logins into the
 * core's values — the {@link ImageSpec}, the delivery {@link Target}, registry access — checking
 * every value on the way. Each mistake fails with an {@link InvalidConfigurationException} that
 * names the POM element and the fix, before anything is resolved, fetched or written.
 */
public final class ConfigurationProcessor implements SpecSource {
    private final RawConfiguration raw;
    private final Credentials credentials;
    private final BuildLog log;

    public ConfigurationProcessor(RawConfiguration raw, Credentials credentials, BuildLog log) {
        this.raw = raw;
        this.credentials = credentials;
        this.log = log;
    }

    /** The template's directory, which its relative paths start from. */
    public Path projectDirectory() {
        return raw.projectDirectory();
    }

    /** Whether the image is a workspace image ({@code <workspace>true</workspace>}). */
    public boolean workspaceImage() {
        return raw.workspace();
    }

    /** Everything the image is built from. */
    @Override
    public ImageSpec imageSpec() throws MoleculeException, IOException {
        List<String> entrypoint = nullIfEmpty(raw.entrypoint());
        List<String> cmd = nullIfEmpty(raw.cmd());
        if (raw.workspace() && entrypoint == null) {
            entrypoint = List.of(WorkspaceAssets.ENTRYPOINT);
            cmd = cmd == null ? List.of(WorkspaceAssets.DEFAULT_CMD) : cmd;
        }
        ImageSpec.Builder spec = lockSpecBuilder()
                .workspace(raw.workspace())
                .environment(raw.environment())
                .user(ContainerConfiguration.user(raw.user()))
                .workingDirectory(ContainerConfiguration.workingDirectory(raw.workingDirectory()))
                .entrypoint(entrypoint)
                .cmd(cmd)
                .labels(raw.labels())
                .exposedPorts(ContainerConfiguration.ports(raw.ports()))
                .volumes(ContainerConfiguration.volumes(raw.volumes()))
                .buildArgs(raw.buildArgs());
        for (LayerSpec layer : templateLayers()) {
            spec.addLayer(layer);
        }
        return spec.build();
    }

    /**
     * What {@code molecule:lock} resolves: the base, the Debian packages and the npm and pip layers.
     * The template's files are left unread.
     */
    public ImageSpec lockSpec() throws MoleculeException, IOException {
        return lockSpecBuilder().build();
    }

    private ImageSpec.Builder lockSpecBuilder() throws MoleculeException, IOException {
        String architecture =
                raw.architecture() == null ? "" : raw.architecture().strip();
        if (!architecture.matches("[a-z0-9]+")) {
            throw new InvalidConfigurationException(
                    "architecture",
                    "'" + raw.architecture() + "' is not an architecture",
                    "Write Debian's name for it, e.g. amd64 or arm64");
        }
        return ImageSpec.builder()
                .base(base())
                .osPackages(OsPackagesConfiguration.of(raw))
                .npm(NpmConfiguration.of(raw, credentials))
                .pip(PipConfiguration.of(raw, credentials))
                .lockFile(raw.lockFile())
                .creationTime(ContainerConfiguration.creationTime(raw.outputTimestamp()))
                .platform(architecture, "linux");
    }

    /** The template's own file layers: {@code src/main/image}, then each file set, with their effective modes. */
    public List<LayerSpec> templateLayers() throws InvalidConfigurationException, IOException {
        return FilesConfiguration.layers(raw);
    }

    /**
     * What {@code molecule:validate} checks: the workspace assets when the image has them, then the
     * template's file layers. No login is looked up, and the assets go into {@code scratch}, not the
     * layer cache.
     */
    public List<LayerSpec> validationLayers(Path scratch) throws InvalidConfigurationException, IOException {
        List<LayerSpec> layers = new ArrayList<>();
        if (raw.workspace()) {
            layers.add(WorkspaceAssets.layer(scratch));
        }
        layers.addAll(templateLayers());
        return layers;
    }

    /** How to reach the registry of {@code spec}'s base: the {@code <baseServerId>} login, or the one named like its host. */
    @Override
    public RegistryAccess baseAccess(ImageSpec spec) throws MoleculeException {
        return spec.base() instanceof BaseImage.Registry registry
                ? registryAccess(raw.baseServerId(), registry.reference())
                : RegistryAccess.ANONYMOUS;
    }

    /**
     * The delivery target named by {@code <target>}.
     *
     * @param tarFile the {@code tar} target's file
     * @param registryServerId the settings.xml server of the {@code registry} target; default its host
     */
    public Target target(String kind, String image, Path tarFile, String registryServerId) throws MoleculeException {
        return target(kind, image, tarFile, registryServerId, List.of());
    }

    /** As above; the {@code registry} target also pushes the manifest under each of {@code tags}. */
    public Target target(String kind, String image, Path tarFile, String registryServerId, List<String> tags)
            throws MoleculeException {
        if ("registry".equals(kind) && image.startsWith("/")) {
            throw new InvalidConfigurationException(
                    "image",
                    "'" + image + "' names no registry",
                    "Set -Dmolecule.registry=host[:port][/namespace] (the template parent pushes to"
                            + " ${molecule.registry}/${project.artifactId}:${project.version} on deploy)");
        }
        String name = imageName(image);
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidConfigurationException(
                        "tags",
                        "'" + tag + "' is not an image tag",
                        "Use letters, digits, '_', '.' and '-' (128 at most, not starting with '.' or '-')");
            }
        }
        return switch (kind == null ? "" : kind.trim()) {
            case "tar" -> new TarTarget(name, tarFile);
            case "docker" -> new DockerTarget(name);
            case "registry" -> new RegistryTarget(name, registryAccess(registryServerId, name), tags);
            default ->
                throw new InvalidConfigurationException(
                        "target", "unknown target '" + kind + "'", "Use tar, docker or registry");
        };
    }

    /**
     * The registry repository that shares the layer cache, {@code host[:port]/name}, with
     * credentials from the settings.xml server {@code serverId} (default: the host).
     */
    public CacheRepository cacheRepository(String repository, String serverId) throws MoleculeException {
        String value = repository.trim();
        Optional<ImageReference> reference = parse(value);
        if (reference.isEmpty()
                || !value.contains("/")
                || !reference.get().getRegistry().equals(value.substring(0, value.indexOf('/')))
                || value.substring(value.lastIndexOf('/')).contains(":")
                || value.contains("@")) {
            throw new InvalidConfigurationException(
                    "cacheRepository",
                    "'" + repository + "' is not a registry repository",
                    "Write it as host[:port]/name without a tag, e.g. registry.example.com/molecule/layer-cache;"
                            + " each layer is stored there under its content key as the tag");
        }
        return new CacheRepository(value, registryAccess(serverId, value + ":cache"), log);
    }

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** {@code image} with {@code :latest} when it has no tag; it must not carry a digest. */
    static String imageName(String image) throws InvalidConfigurationException {
        Optional<ImageReference> reference = parse(image);
        if (reference.isEmpty() || reference.get().getDigest().isPresent()) {
            throw new InvalidConfigurationException(
                    "image",
                    "'" + image + "' is not a valid image name",
                    "Write it as [registry/]repository[:tag] in lower case, e.g. molecule/claude-code:1.0");
        }
        return Target.withDefaultTag(image);
    }

    private RegistryAccess registryAccess(String serverId, String reference) throws MoleculeException {
        String id = serverId != null
                ? serverId
                : parse(reference).map(ImageReference::getRegistry).orElse(reference);
        Optional<Credentials.Login> login = credentials.server(id);
        if (login.isEmpty()) {
            log.info("No <server> with id '" + id + "' in settings.xml; talking to it without credentials");
            return new RegistryAccess(null, raw.allowInsecureRegistries());
        }
        return new RegistryAccess(
                new RegistryAccess.Credential(
                        id, login.get().username(), login.get().password()),
                raw.allowInsecureRegistries());
    }

    /** The settings.xml server {@code id}; {@code element} names the POM element that asked for it. */
    static Credentials.Login server(Credentials credentials, String element, String id) throws MoleculeException {
        return credentials
                .server(id)
                .orElseThrow(() -> new InvalidConfigurationException(
                        element,
                        "settings.xml has no <server> with id '" + id + "'",
                        "Add one with the username and password (or token as password) to ~/.m2/settings.xml, or"
                                + " remove <serverId>"));
    }

    /** Parses {@code <base>}: {@code scratch}, {@code tar://}, {@code docker://}, {@code registry://} or a bare reference. */
    private BaseImage base() throws InvalidConfigurationException {
        String value = raw.base();
        String text = value == null ? "" : value.trim();
        if (text.isEmpty() || text.toLowerCase(Locale.ROOT).equals("scratch")) {
            return new BaseImage.Scratch();
        }
        if (text.startsWith("tar://")) {
            Path tar = raw.projectDirectory()
                    .resolve(text.substring("tar://".length()))
                    .normalize();
            if (!tar.toFile().canRead()) {
                throw new InvalidConfigurationException(
                        "base",
                        "base tar " + tar + " does not exist or is not readable",
                        "Point tar:// at a file written by `docker save -o` or by this plugin's tar target");
            }
            return new BaseImage.TarFile(tar);
        }
        if (text.startsWith("docker://")) {
            return new BaseImage.DockerDaemon(baseReference(text.substring("docker://".length()), value));
        }
        if (text.startsWith("registry://")) {
            return new BaseImage.Registry(baseReference(text.substring("registry://".length()), value));
        }
        if (text.contains("://")) {
            throw new InvalidConfigurationException(
                    "base",
                    "unknown base '" + value + "'",
                    "Use scratch, tar://<path to a docker-save tar>, docker://<image in the local engine> or"
                            + " registry://<image reference>");
        }
        return new BaseImage.Registry(baseReference(text, value));
    }

    private static String baseReference(String reference, String original) throws InvalidConfigurationException {
        if (!reference.matches("[a-z0-9][a-z0-9._/:@-]*(:[\\w][\\w.-]*)?(@sha256:[0-9a-f]{64})?")
                || reference.endsWith(":")
                || reference.endsWith("/")
                || parse(reference).isEmpty()) {
            throw new InvalidConfigurationException(
                    "base",
                    "unknown base '" + original + "' is not an image reference",
                    "Write a reference such as debian:bookworm or 127.0.0.1:5000/team/base:1, prefixed with"
                            + " docker:// for the local engine");
        }
        return reference;
    }

    private static Optional<ImageReference> parse(String reference) {
        try {
            return Optional.of(ImageReference.parse(reference));
        } catch (InvalidImageReferenceException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> nullIfEmpty(List<String> values) {
        return values == null || values.isEmpty() ? null : values;
    }
}
