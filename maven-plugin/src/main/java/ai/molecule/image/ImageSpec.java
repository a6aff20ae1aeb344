package ai.molecule.image;

import ai.molecule.core.LayerSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything that decides an image: the base, the layers on top of it and the container
 * configuration. Maps and sets are sorted so that the same inputs always give the same config. The
 * layers stack in {@link LayerKind} order; each component below is one kind.
 *
 * @param osPackages {@link LayerKind#DEBIAN}; {@code null} for none
 * @param pip {@link LayerKind#PIP}; {@code null} for none
 * @param npm {@link LayerKind#NPM}; {@code null} for none
 * @param lockFile {@code molecule.lock}, which pins the Debian, npm and pip components exactly; it
 *     must exist and match them when the image has any
 * @param workspace {@link LayerKind#WORKSPACE}: whether the workspace's standard assets are added
 * @param layers {@link LayerKind#FILES}: the template's file layers, in order
 * @param entrypoint {@code null} keeps the base's entrypoint
 * @param cmd {@code null} keeps the base's cmd (unless the entrypoint is replaced, as in Docker)
 * @param buildArgs recorded as {@code ai.molecule.build-arg.<name>} labels
 * @param creationTime the config's {@code created} and every tar entry's mtime
 */
public record ImageSpec(
        BaseImage base,
        OsPackages osPackages,
        PipLayer pip,
        NpmLayer npm,
        Path lockFile,
        boolean workspace,
        List<LayerSpec> layers,
        SortedMap<String, String> environment,
        String user,
        String workingDirectory,
        List<String> entrypoint,
        List<String> cmd,
        SortedMap<String, String> labels,
        SortedSet<String> exposedPorts,
        SortedSet<String> volumes,
        SortedMap<String, String> buildArgs,
        Instant creationTime,
        String architecture,
        String os) {

    public static final String BUILD_ARG_LABEL_PREFIX = "ai.molecule.build-arg.";

    public ImageSpec {
        Objects.requireNonNull(base, "base");
        if (lockFile == null && (osPackages != null || pip != null || npm != null)) {
            throw new IllegalArgumentException("an image with Debian, npm or pip components needs a lock file");
        }
        Objects.requireNonNull(creationTime, "creationTime");
        layers = List.copyOf(layers);
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        exposedPorts = Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
        volumes = Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
        buildArgs = Collections.unmodifiableSortedMap(new TreeMap<>(buildArgs));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Labels as written into the config: the declared ones plus one per build argument. */
    public SortedMap<String, String> effectiveLabels() {
        SortedMap<String, String> all = new TreeMap<>(labels);
        buildArgs.forEach((name, value) -> all.put(BUILD_ARG_LABEL_PREFIX + name, value));
        return all;
    }

    public static final class Builder {
        private BaseImage base = new BaseImage.Scratch();
        private OsPackages osPackages;
        private PipLayer pip;
        private NpmLayer npm;
        private Path lockFile;
        private boolean workspace;
        private final List<LayerSpec> layers = new ArrayList<>();
        private final SortedMap<String, String> environment = new TreeMap<>();
        private String user;
        private String workingDirectory;
        private List<String> entrypoint;
        private List<String> cmd;
        private final SortedMap<String, String> labels = new TreeMap<>();
        private final SortedSet<String> exposedPorts = new TreeSet<>();
        private final SortedSet<String> volumes = new TreeSet<>();
        private final SortedMap<String, String> buildArgs = new TreeMap<>();
        private Instant creationTime = Instant.EPOCH.plusSeconds(1);
        private String architecture = "amd64";
        private String os = "linux";

        public Builder base(BaseImage base) {
            this.base = base;
            return this;
        }

        public Builder osPackages(OsPackages osPackages) {
            this.osPackages = osPackages;
            return this;
        }

        public Builder pip(PipLayer pip) {
            this.pip = pip;
            return this;
        }

        public Builder npm(NpmLayer npm) {
            this.npm = npm;
            return this;
        }

        public Builder lockFile(Path file) {
            this.lockFile = file;
            return this;
        }

        public Builder workspace(boolean workspace) {
            this.workspace = workspace;
            return this;
        }

        public Builder addLayer(LayerSpec layer) {
            layers.add(layer);
            return this;
        }

        public Builder environment(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        public Builder cmd(List<String> cmd) {
            this.cmd = cmd;
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
            return this;
        }

        public Builder exposedPorts(Collection<String> ports) {
            exposedPorts.addAll(ports);
            return this;
        }

        public Builder volumes(Collection<String> paths) {
            volumes.addAll(paths);
            return this;
        }

        public Builder buildArgs(Map<String, String> values) {
            buildArgs.putAll(values);
            return this;
        }

        public Builder creationTime(Instant creationTime) {
            this.creationTime = creationTime;
            return this;
        }

        public Builder platform(String architecture, String os) {
            this.architecture = architecture;
            this.os = os;
            return this;
        }

        public ImageSpec build() {
            return new ImageSpec(
                    base,
                    osPackages,
                    pip,
                    npm,
                    lockFile,
                    workspace,
                    layers,
                    environment,
                    user,
                    workingDirectory,
                    entrypoint,
                    cmd,
                    labels,
                    exposedPorts,
                    volumes,
                    buildArgs,
                    creationTime,
                    architecture,
                    os);
        }
    }
}
