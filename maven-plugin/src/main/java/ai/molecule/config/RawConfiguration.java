package ai.molecule.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The POM's image parameters as the goals received them, unchecked: what the configuration stage
 * turns into an {@link ai.molecule.image.ImageSpec}. Getters only; the Maven goals fill it.
 *
 * @param projectDirectory resolves relative paths and holds {@code src/main/image}
 * @param properties the build's properties as Maven resolves {@code ${name}}: -D over the POM's
 */
public record RawConfiguration(
        Path projectDirectory,
        boolean workspace,
        String base,
        String baseServerId,
        boolean allowInsecureRegistries,
        Debian debian,
        Path lockFile,
        Pip pip,
        Npm npm,
        List<UnixAccount> accounts,
        List<UnixGroup> groups,
        List<Path> caCertificates,
        Path imageDirectory,
        List<Permission> permissions,
        List<FileSet> fileSets,
        Map<String, String> environment,
        String user,
        String workingDirectory,
        List<String> entrypoint,
        List<String> cmd,
        Map<String, String> labels,
        List<String> ports,
        List<String> volumes,
        Map<String, String> buildArgs,
        String architecture,
        String outputTimestamp,
        Map<String, String> properties) {

    public RawConfiguration {
        accounts = copy(accounts);
        groups = copy(groups);
        caCertificates = copy(caCertificates);
        permissions = copy(permissions);
        fileSets = copy(fileSets);
        environment = environment == null ? Map.of() : new LinkedHashMap<>(environment);
        labels = labels == null ? Map.of() : new LinkedHashMap<>(labels);
        ports = copy(ports);
        volumes = copy(volumes);
        buildArgs = buildArgs == null ? Map.of() : new LinkedHashMap<>(buildArgs);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static Builder builder(Path projectDirectory) {
        return new Builder(projectDirectory);
    }

    private static <T> List<T> copy(List<T> values) {
        // Maven leaves unset list parameters null and may hand in lists with null items.
        return values == null ? List.of() : new ArrayList<>(values);
    }

    /** Collects the parameters; everything is optional except the project directory. */
    public static final class Builder {
        private final Path projectDirectory;
        private boolean workspace;
        private String base = "scratch";
        private String baseServerId;
        private boolean allowInsecureRegistries;
        private Debian debian;
        private Path lockFile;
        private Pip pip;
        private Npm npm;
        private List<UnixAccount> accounts = List.of();
        private List<UnixGroup> groups = List.of();
        private List<Path> caCertificates = List.of();
        private Path imageDirectory;
        private List<Permission> permissions = List.of();
        private List<FileSet> fileSets = List.of();
        private Map<String, String> environment = Map.of();
        private String user;
        private String workingDirectory;
        private List<String> entrypoint;
        private List<String> cmd;
        private Map<String, String> labels = Map.of();
        private List<String> ports = List.of();
        private List<String> volumes = List.of();
        private Map<String, String> buildArgs = Map.of();
        private String architecture = "amd64";
        private String outputTimestamp;
        private Map<String, String> properties = Map.of();

        private Builder(Path projectDirectory) {
            this.projectDirectory = projectDirectory;
            this.lockFile = projectDirectory.resolve("molecule.lock");
        }

        public Builder workspace(boolean value) {
            workspace = value;
            return this;
        }

        public Builder base(String value) {
            base = value;
            return this;
        }

        public Builder baseServerId(String value) {
            baseServerId = value;
            return this;
        }

        public Builder allowInsecureRegistries(boolean value) {
            allowInsecureRegistries = value;
            return this;
        }

        public Builder debian(Debian value) {
            debian = value;
            return this;
        }

        public Builder lockFile(Path value) {
            lockFile = value;
            return this;
        }

        public Builder pip(Pip value) {
            pip = value;
            return this;
        }

        public Builder npm(Npm value) {
            npm = value;
            return this;
        }

        public Builder accounts(List<UnixAccount> value) {
            accounts = value;
            return this;
        }

        public Builder groups(List<UnixGroup> value) {
            groups = value;
            return this;
        }

        public Builder caCertificates(List<Path> value) {
            caCertificates = value;
            return this;
        }

        public Builder imageDirectory(Path value) {
            imageDirectory = value;
            return this;
        }

        public Builder permissions(List<Permission> value) {
            permissions = value;
            return this;
        }

        public Builder fileSets(List<FileSet> value) {
            fileSets = value;
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment = value;
            return this;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        public Builder workingDirectory(String value) {
            workingDirectory = value;
            return this;
        }

        public Builder entrypoint(List<String> value) {
            entrypoint = value;
            return this;
        }

        public Builder cmd(List<String> value) {
            cmd = value;
            return this;
        }

        public Builder labels(Map<String, String> value) {
            labels = value;
            return this;
        }

        public Builder ports(List<String> value) {
            ports = value;
            return this;
        }

        public Builder volumes(List<String> value) {
            volumes = value;
            return this;
        }

        public Builder buildArgs(Map<String, String> value) {
            buildArgs = value;
            return this;
        }

        public Builder architecture(String value) {
            architecture = value;
            return this;
        }

        public Builder outputTimestamp(String value) {
            outputTimestamp = value;
            return this;
        }

        public Builder properties(Map<String, String> value) {
            properties = value;
            return this;
        }

        public RawConfiguration build() {
            return new RawConfiguration(
                    projectDirectory,
                    workspace,
                    base,
                    baseServerId,
                    allowInsecureRegistries,
                    debian,
                    lockFile,
                    pip,
                    npm,
                    accounts,
                    groups,
                    caCertificates,
                    imageDirectory,
                    permissions,
                    fileSets,
                    environment,
                    user,
                    workingDirectory,
                    entrypoint,
                    cmd,
                    labels,
                    ports,
                    volumes,
                    buildArgs,
                    architecture,
                    outputTimestamp,
                    properties);
        }
    }
}
