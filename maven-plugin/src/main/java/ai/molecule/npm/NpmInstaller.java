package ai.molecule.npm;

import ai.molecule.core.BuildLog;
import ai.molecule.core.DirectoryScan;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.Trees;
import ai.molecule.image.NpmLayer;
import ai.molecule.image.NpmPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds an {@link NpmLayer} with the host's npm. It first resolves every package the install will
 * place (dependencies and the target platform's optional native packages included) with {@code npm
 * install --package-lock-only}, so the cache key — over the specs, each resolved version and
 * integrity, the registry, the platform, the prefix and npm's own version — is known before
 * anything is installed. Only on a miss does it run {@code npm install -g} into a temporary prefix,
 * check that what landed is what was resolved, and store the tree as a layer under the key.
 */
public final class NpmInstaller {
    private static final String FORMAT = "molecule-npm-layer/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LayerCache cache;
    private final Path workRoot;
    private final NpmCommand npm;
    private final BuildLog log;
    private final boolean offline;

    /**
     * @param workRoot scratch space: temporary projects and prefixes, and npm's download cache in
     *     {@code npm-cache}
     * @param offline resolve and install from npm's cache only ({@code mvn -o}), never the registry
     */
    public NpmInstaller(LayerCache cache, Path workRoot, BuildLog log, boolean offline) throws IOException {
        this.cache = cache;
        this.workRoot = Files.createDirectories(workRoot);
        this.npm = new NpmCommand("npm");
        this.log = log;
        this.offline = offline;
    }

    public NpmInstaller(LayerCache cache, Path workRoot, BuildLog log) throws IOException {
        this(cache, workRoot, log, false);
    }

    /** The stored layer, whether it was a cache hit, and what it holds. */
    public record Result(String key, LayerCache.Blob blob, boolean hit, List<NpmPackage> packages) {}

    public Result install(NpmLayer layer, Instant mtime) throws MoleculeException, IOException {
        Path work = Files.createTempDirectory(workRoot, "npm-layer-");
        try {
            String npmVersion = npmVersion(work);
            NpmUserConfig.write(work, NpmUserConfig.hostUserConfig(System.getenv()), layer);
            Resolution resolution = resolve(layer, work);
            String key = key(layer, npmVersion, resolution, mtime);
            Optional<LayerCache.Blob> cached = cache.lookup(key);
            if (cached.isPresent()) {
                log.info("npm layer " + layer.specs() + ": cache hit " + key);
                return new Result(key, cached.get(), true, resolution.packages());
            }
            log.info("npm layer " + layer.specs() + ": cache miss " + key + "; running npm install");
            Path root = work.resolve("root");
            Path prefix = root.resolve(layer.prefix().substring(1));
            Files.createDirectories(prefix);
            long start = System.nanoTime();
            warnOfHostPlatformScripts(layer, resolution);
            installInto(layer, resolution, prefix, work);
            verifyInstalled(layer, resolution, prefix);
            LayerSpec spec = new LayerSpec(
                    "npm " + String.join(" ", layer.specs()),
                    DirectoryScan.entries(root, "/", DirectoryScan.Policy.ALL),
                    new TreeMap<>());
            LayerCache.Blob blob = cache.store(key, out -> LayerTarWriter.write(spec, mtime, out));
            log.info("npm layer " + layer.specs() + ": installed "
                    + resolution.packages().size() + " packages in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, layer " + blob.size() + " bytes");
            return new Result(key, blob, false, resolution.packages());
        } finally {
            Trees.delete(work);
        }
    }

    /** The packages to install, pinned, and every package the lock places for the target platform. */
    record Resolution(List<String> pinnedSpecs, List<NpmPackage> packages, List<String> withInstallScripts) {}

    private Resolution resolve(NpmLayer layer, Path work) throws MoleculeException, IOException {
        Path project = Files.createDirectories(work.resolve("resolve"));
        Files.writeString(project.resolve("package.json"), "{\"name\":\"molecule-npm-resolve\",\"private\":true}\n");
        List<String> arguments = new ArrayList<>(List.of(
                "install",
                "--package-lock-only",
                "--save-exact",
                "--ignore-scripts",
                "--install-strategy=shallow",
                // A user's npmrc may drop tarball URLs from locks; the SBOM wants them.
                "--omit-lockfile-registry-resolved=false"));
        arguments.addAll(common(layer, work));
        arguments.addAll(layer.specs());
        NpmCommand.Outcome outcome = npm.run(project, arguments);
        if (!outcome.ok()) {
            throw new MoleculeException("npm could not resolve " + String.join(" ", layer.specs()) + " from registry "
                    + layer.registry() + ":\n" + outcome.errors() + "\nCheck each package name and version exists"
                    + " on that registry (npm view <spec> version --registry " + layer.registry()
                    + "), and that the registry URL is right and reachable from the build machine."
                    + (offline ? " Maven is offline (-o), so npm used only its cache: build once online." : ""));
        }
        JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
        JsonNode packages = lock.path("packages");
        List<String> pinned = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        packages.path("").path("dependencies").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> dependency = it.next();
            String installed = packages.path("node_modules/" + dependency.getKey())
                    .path("version")
                    .asText("");
            pinned.add(
                    dependency.getValue().asText().startsWith("npm:")
                            ? dependency.getKey() + "@" + dependency.getValue().asText()
                            : dependency.getKey() + "@" + installed);
        }
        List<NpmPackage> resolved = new ArrayList<>();
        List<String> withInstallScripts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode node = entry.getValue();
            if (entry.getKey().isEmpty() || !installsOn(node, layer.platform())) {
                continue;
            }
            String path = entry.getKey();
            String name = node.path("name").asText(path.substring(path.lastIndexOf("node_modules/") + 13));
            if (node.path("hasInstallScript").asBoolean(false)) {
                withInstallScripts.add(name);
            }
            resolved.add(new NpmPackage(
                    path,
                    name,
                    node.path("version").asText(""),
                    node.path("integrity").asText(""),
                    node.path("resolved").asText("")));
        }
        resolved.sort(Comparator.comparing(NpmPackage::path));
        return new Resolution(List.copyOf(pinned), List.copyOf(resolved), List.copyOf(withInstallScripts));
    }

    private static boolean installsOn(JsonNode node, NpmPlatform platform) {
        return matches(node.path("os"), platform.os())
                && matches(node.path("cpu"), platform.cpu())
                && (platform.libc().isEmpty() || matches(node.path("libc"), platform.libc()));
    }

    /** npm's os/cpu/libc fields: a list of allowed values, or of {@code !value} exclusions; absent means any. */
    private static boolean matches(JsonNode allowed, String value) {
        if (!allowed.isArray() || allowed.isEmpty()) {
            return true;
        }
        boolean anyPositive = false;
        for (JsonNode item : allowed) {
            String text = item.asText();
            if (text.equals("!" + value)) {
                return false;
            }
            if (!text.startsWith("!")) {
                anyPositive = true;
                if (text.equals(value)) {
                    return true;
                }
            }
        }
        return !anyPositive;
    }

    /**
     * Install scripts run on the build machine; one that picks a native binary by the machine it runs
     * on (claude-code's install.cjs does) picks the build machine's, not the image's.
     */
    private void warnOfHostPlatformScripts(NpmLayer layer, Resolution resolution) {
        String hostOs = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String hostArch = System.getProperty("os.arch");
        String hostCpu = hostArch.equals("amd64") || hostArch.equals("x86_64")
                ? "x64"
                : hostArch.equals("aarch64") ? "arm64" : hostArch;
        boolean samePlatform = hostOs.startsWith(layer.platform().os())
                && hostCpu.equals(layer.platform().cpu());
        if (!samePlatform && !resolution.withInstallScripts().isEmpty()) {
            log.warn("npm layer " + layer.specs() + ": " + resolution.withInstallScripts()
                    + " run install scripts on this " + hostOs + "/" + hostCpu + " machine while the image is "
                    + layer.platform() + "; a script that picks a native binary by the machine it runs on will pick"
                    + " this machine's. Build the layer on a " + layer.platform() + " machine if the package needs it");
        }
    }

    private void installInto(NpmLayer layer, Resolution resolution, Path prefix, Path work)
            throws MoleculeException, IOException {
        // Install scripts run: packages such as claude-code pick or fetch their native binary in postinstall.
        List<String> arguments =
                new ArrayList<>(List.of("install", "-g", "--prefix", prefix.toString(), "--ignore-scripts=false"));
        arguments.addAll(common(layer, work));
        arguments.addAll(resolution.pinnedSpecs());
        NpmCommand.Outcome outcome = npm.run(work, arguments);
        if (!outcome.ok()) {
            throw new MoleculeException("npm install -g " + String.join(" ", resolution.pinnedSpecs())
                    + " from registry " + layer.registry() + " failed:\n" + outcome.errors()
                    + "\nThe versions resolved; check the registry serves their tarballs and that install scripts"
                    + " can run on this machine for " + layer.platform() + ".");
        }
    }

    /** The install must place exactly what the key was computed over, or the key would lie. */
    private static void verifyInstalled(NpmLayer layer, Resolution resolution, Path prefix) throws MoleculeException {
        List<String> problems = new ArrayList<>();
        for (NpmPackage expected : resolution.packages()) {
            Path manifest = prefix.resolve("lib").resolve(expected.path()).resolve("package.json");
            String version;
            try {
                version = Files.isRegularFile(manifest)
                        ? JSON.readTree(manifest.toFile()).path("version").asText("")
                        : "";
            } catch (IOException e) {
                version = "";
            }
            if (!version.equals(expected.version())) {
                problems.add(expected.name() + "@" + expected.version() + " was resolved for " + expected.path()
                        + " but npm install placed " + (version.isEmpty() ? "nothing" : version) + " there");
            }
        }
        if (!problems.isEmpty()) {
            throw new MoleculeException(numberedProblems(
                    "npm install -g " + layer.specs() + " from " + layer.registry()
                            + " did not place what was resolved; a version was published in between, or npm ignored"
                            + " the platform " + layer.platform() + ". Build again; if it persists, pin"
                            + " the versions in the spec",
                    problems));
        }
    }

    private static String numberedProblems(String header, List<String> problems) {
        StringBuilder text = new StringBuilder(header + " (" + problems.size() + " problems):");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
        }
        return text.toString();
    }

    /** @param work holds the install's own npmrc files ({@link NpmUserConfig}) */
    private List<String> common(NpmLayer layer, Path work) {
        List<String> arguments = new ArrayList<>(List.of(
                "--userconfig",
                work.resolve("npmrc").toString(),
                "--globalconfig",
                work.resolve("npmrc-global").toString(),
                "--registry",
                layer.registry(),
                "--os",
                layer.platform().os(),
                "--cpu",
                layer.platform().cpu(),
                "--cache",
                workRoot.resolve("npm-cache").toString(),
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                "--fetch-retries=2",
                "--fetch-retry-mintimeout=1000",
                "--fetch-retry-maxtimeout=5000"));
        if (offline) {
            arguments.add("--offline");
        }
        if (!layer.platform().libc().isEmpty()) {
            arguments.addAll(List.of("--libc", layer.platform().libc()));
        }
        return arguments;
    }

    private String npmVersion(Path work) throws MoleculeException, IOException {
        NpmCommand.Outcome outcome = npm.run(work, List.of("--version"));
        String version = outcome.output().strip();
        if (!outcome.ok() || !version.matches("\\d+\\.\\d+\\.\\d+.*")) {
            throw new MoleculeException("The host's npm does not report its version (" + outcome.errors()
                    + "). Install Node.js with npm 10 or newer on the build machine");
        }
        if (Integer.parseInt(version.substring(0, version.indexOf('.'))) < 10) {
            throw new MoleculeException("The host's npm is " + version
                    + ", which ignores --os/--cpu for optional native packages. Install npm 10 or newer on the build"
                    + " machine (npm install -g npm@10)");
        }
        return version;
    }

    private static String key(NpmLayer layer, String npmVersion, Resolution resolution, Instant mtime) {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("npm " + npmVersion);
        key.line("registry " + layer.registry());
        key.line("platform " + layer.platform());
        key.line("prefix " + layer.prefix());
        key.line("mtime " + mtime.getEpochSecond());
        layer.specs().stream().sorted().forEach(spec -> key.line("spec " + spec));
        for (NpmPackage p : resolution.packages()) {
            key.line("package " + p.path() + " " + p.name() + "@" + p.version() + " " + p.integrity());
        }
        return key.hex();
    }
}
