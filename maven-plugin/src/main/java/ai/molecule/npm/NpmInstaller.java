package ai.molecule.npm;

import ai.molecule.core.BuildLog;
import ai.molecule.core.DirectoryScan;
import ai.molecule.core.Json;
import ai.molecule.core.KeyDigest;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.core.MoleculeException;
import ai.molecule.core.Trees;
import ai.molecule.image.NpmLayer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locks and builds an {@link NpmLayer} with the host's npm. {@link #lock} resolves every package the
 * layer places (dependencies and every platform's optional native packages) with {@code npm install
 * --package-lock-only}, starting from the previous lock so that what is locked stays locked. {@link
 * #install} computes the layer's key from the lock alone — the packages placed on the image's
 * platform with their integrity, the registry, the prefix — and only on a miss hands the lock to
 * {@code npm ci}, which installs exactly those tarballs and refuses one whose integrity differs.
 */
public final class NpmInstaller {
    private static final String FORMAT = "molecule-npm-layer/2";
    private static final Pattern INTEGRITY = Pattern.compile("wanted (sha\\d+-\\S+?) but got (sha\\d+-\\S+?)[.\\s]");
    private static final Pattern NOT_FOUND = Pattern.compile("404 Not Found - GET (\\S+)");

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

    /**
     * Resolves the layer's packages. With a {@code previous} lock, every package whose spec is
     * unchanged keeps its locked version and tree, except the packages named in {@code update} and what
     * they depend on, which npm resolves again; {@code previous == null} resolves everything afresh.
     */
    public NpmLock lock(NpmLayer layer, NpmLock previous, Set<String> update) throws MoleculeException, IOException {
        Path work = Files.createTempDirectory(workRoot, "npm-lock-");
        try {
            npmVersion(work);
            NpmUserConfig.write(work, NpmUserConfig.hostUserConfig(System.getenv()), layer);
            Path project = Files.createDirectories(work.resolve("resolve"));
            List<String> toResolve = new ArrayList<>();
            ObjectNode packageJson = Json.object();
            packageJson.put("name", "molecule-npm-layer");
            packageJson.put("private", true);
            ObjectNode dependencies = packageJson.putObject("dependencies");
            Set<String> freed = previous == null ? Set.of() : freed(previous, update);
            Map<String, String> locked = previous == null ? Map.of() : previous.rootDependencies();
            for (String spec : layer.specs()) {
                String name = specName(spec);
                if (previous != null
                        && previous.inputs().specs().contains(spec)
                        && locked.containsKey(name)
                        && !freed.contains(name)) {
                    dependencies.put(name, locked.get(name));
                } else {
                    toResolve.add(spec);
                }
            }
            Json.write(project.resolve("package.json"), packageJson);
            if (previous != null) {
                Json.write(project.resolve("package-lock.json"), kept(previous, dependencies, freed));
            }
            List<String> arguments = new ArrayList<>(List.of(
                    "install",
                    "--package-lock-only",
                    "--save-exact",
                    "--ignore-scripts",
                    "--install-strategy=shallow",
                    // A user's npmrc may drop tarball URLs from locks; the lock and the SBOM want them.
                    "--omit-lockfile-registry-resolved=false"));
            arguments.addAll(common(layer, work));
            arguments.addAll(toResolve);
            NpmCommand.Outcome outcome = npm.run(project, arguments);
            if (!outcome.ok()) {
                throw new MoleculeException("npm could not resolve " + String.join(" ", layer.specs())
                        + " from registry " + layer.registry() + ":\n" + outcome.errors() + "\nCheck each package"
                        + " name and version exists on that registry (npm view <spec> version --registry "
                        + layer.registry() + "), and that the registry URL is right and reachable from the build"
                        + " machine." + (offline ? " Maven is offline (-o), so npm used only its cache." : ""));
            }
            NpmLock lock = new NpmLock(
                    NpmLock.Inputs.of(layer), NpmLock.nodesOf(Json.read(project.resolve("package-lock.json"))));
            log.info("npm: locked " + lock.rootDependencies() + " ("
                    + lock.installedOn(layer.platform()).size() + " packages on " + layer.platform() + ")");
            return lock;
        } finally {
            Trees.delete(work);
        }
    }

    /** The names {@code update} frees in {@code previous}: each named package and, transitively, what it depends on. */
    private static Set<String> freed(NpmLock previous, Set<String> update) {
        Map<String, List<NpmLock.Node>> byName = new TreeMap<>();
        previous.nodes()
                .forEach(node -> byName.computeIfAbsent(node.name(), n -> new ArrayList<>())
                        .add(node));
        Set<String> freed = new TreeSet<>();
        Deque<String> queue = new ArrayDeque<>();
        update.stream().filter(byName::containsKey).forEach(name -> {
            freed.add(name);
            queue.add(name);
        });
        while (!queue.isEmpty()) {
            for (NpmLock.Node node : byName.getOrDefault(queue.remove(), List.of())) {
                node.dependencyNames().stream()
                        .filter(byName::containsKey)
                        .filter(freed::add)
                        .forEach(queue::add);
            }
        }
        return freed;
    }

    /** The previous lock without the freed packages, its root depending on what {@code package.json} now keeps. */
    private static ObjectNode kept(NpmLock previous, ObjectNode dependencies, Set<String> freed) {
        List<String> keptRoots = new ArrayList<>();
        dependencies.fieldNames().forEachRemaining(keptRoots::add);
        ObjectNode lock = previous.packageLock();
        ObjectNode packages = (ObjectNode) lock.path("packages");
        List<String> remove = new ArrayList<>();
        packages.fields().forEachRemaining(entry -> {
            String path = entry.getKey();
            if (path.isEmpty()) {
                return;
            }
            String name = new NpmLock.Node(path, (ObjectNode) entry.getValue()).name();
            if (!keptRoots.contains(rootOf(path)) || freed.contains(name)) {
                remove.add(path);
            }
        });
        remove.forEach(packages::remove);
        ObjectNode root = packages.putObject("");
        root.put("name", "molecule-npm-layer");
        root.set("dependencies", dependencies.deepCopy());
        return lock;
    }

    /** {@code node_modules/@scope/a/node_modules/b} → {@code @scope/a}. */
    private static String rootOf(String path) {
        String rest = path.substring("node_modules/".length());
        int end = rest.indexOf("/node_modules/");
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** {@code @scope/name@range} → {@code @scope/name}; {@code alias@npm:real@1} → {@code alias}. */
    static String specName(String spec) {
        int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
        return at < 0 ? spec : spec.substring(0, at);
    }

    /** The layer of exactly {@code lock}'s packages, from the cache when its key is there. */
    public Result install(NpmLayer layer, NpmLock lock, Instant mtime) throws MoleculeException, IOException {
        List<NpmPackage> packages = lock.installedOn(layer.platform());
        String key = key(layer, lock, packages, mtime);
        Optional<LayerCache.Blob> cached = cache.lookupLayer(key);
        if (cached.isPresent()) {
            return new Result(key, cached.get(), true, packages);
        }
        log.info("npm layer " + lock.rootDependencies() + ": installing " + packages.size()
                + " locked packages (npm ci)");
        Path work = Files.createTempDirectory(workRoot, "npm-layer-");
        try {
            npmVersion(work);
            NpmUserConfig.write(work, NpmUserConfig.hostUserConfig(System.getenv()), layer);
            Path root = work.resolve("root");
            Path prefix = root.resolve(layer.prefix().substring(1));
            Path lib = Files.createDirectories(prefix.resolve("lib"));
            long start = System.nanoTime();
            warnOfHostPlatformScripts(layer, lock);
            installInto(layer, lock, lib, work);
            linkBins(lock, prefix);
            verifyInstalled(layer, packages, prefix);
            LayerSpec spec = new LayerSpec(
                    "npm " + String.join(" ", layer.specs()),
                    DirectoryScan.entries(root, "/", DirectoryScan.Policy.ALL),
                    new TreeMap<>());
            LayerCache.Blob blob = cache.storeLayer(key, out -> LayerTarWriter.write(spec, mtime, out));
            log.info("npm layer " + lock.rootDependencies() + ": installed " + packages.size() + " packages in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms, layer " + blob.size() + " bytes");
            return new Result(key, blob, false, packages);
        } finally {
            Trees.delete(work);
        }
    }

    /**
     * Install scripts run on the build machine; one that picks a native binary by the machine it runs
     * on (claude-code's install.cjs does) picks the build machine's, not the image's.
     */
    private void warnOfHostPlatformScripts(NpmLayer layer, NpmLock lock) {
        String hostOs = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String hostArch = System.getProperty("os.arch");
        String hostCpu = hostArch.equals("amd64") || hostArch.equals("x86_64")
                ? "x64"
                : hostArch.equals("aarch64") ? "arm64" : hostArch;
        boolean samePlatform = hostOs.startsWith(layer.platform().os())
                && hostCpu.equals(layer.platform().cpu());
        List<String> withInstallScripts = lock.nodes().stream()
                .filter(node -> node.fields().path("hasInstallScript").asBoolean(false))
                .filter(node -> node.installsOn(layer.platform()))
                .map(NpmLock.Node::name)
                .toList();
        if (!samePlatform && !withInstallScripts.isEmpty()) {
            log.warn("npm layer " + layer.specs() + ": " + withInstallScripts
                    + " run install scripts on this " + hostOs + "/" + hostCpu + " machine while the image is "
                    + layer.platform() + "; a script that picks a native binary by the machine it runs on will pick"
                    + " this machine's. Build the layer on a " + layer.platform() + " machine if the package needs it");
        }
    }

    /**
     * {@code npm ci} of the lock in the prefix's {@code lib}, laid out as {@code npm install -g} lays
     * out global packages (each with its own tree below it); npm's bookkeeping files are removed after.
     */
    private void installInto(NpmLayer layer, NpmLock lock, Path lib, Path work) throws MoleculeException, IOException {
        Json.write(lib.resolve("package.json"), lock.packageJson());
        Json.write(lib.resolve("package-lock.json"), lock.packageLock());
        // Install scripts run: packages such as claude-code pick or fetch their native binary in postinstall.
        List<String> arguments = new ArrayList<>(
                List.of("ci", "--install-strategy=shallow", "--ignore-scripts=false", "--no-bin-links"));
        arguments.addAll(common(layer, work));
        NpmCommand.Outcome outcome = npm.run(lib, arguments);
        if (!outcome.ok()) {
            throw installFailure(layer, lock, outcome);
        }
        for (String bookkeeping : List.of("package.json", "package-lock.json", "node_modules/.package-lock.json")) {
            Files.deleteIfExists(lib.resolve(bookkeeping));
        }
        Trees.delete(lib.resolve("node_modules/.bin"));
        for (Path file : List.copyOf(listing(lib))) {
            if (file.getFileName().toString().startsWith("npm-")
                    && file.toString().endsWith(".log")) {
                Files.delete(file);
            }
        }
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** A tampered tarball names the package and both integrities; a withdrawn one names package, version and the fix. */
    private static MoleculeException installFailure(NpmLayer layer, NpmLock lock, NpmCommand.Outcome outcome) {
        Matcher integrity = INTEGRITY.matcher(outcome.output());
        if (integrity.find()) {
            String wanted = integrity.group(1);
            String which = lock.nodes().stream()
                    .filter(node -> node.integrity().equals(wanted))
                    .map(node -> node.name() + " " + node.version() + " (" + node.resolved() + ")")
                    .findFirst()
                    .orElse("a package");
            return new MoleculeException("npm refused " + which + ": its integrity is " + integrity.group(2)
                    + " but the lock expects " + wanted + ". The tarball changed after it was locked; nothing was"
                    + " installed or cached. If the new tarball is legitimate, re-lock it with `mvn molecule:lock"
                    + " -Dmolecule.lock.update=<package>` and review the diff");
        }
        Matcher notFound = NOT_FOUND.matcher(outcome.output());
        if (notFound.find()) {
            String url = notFound.group(1);
            String which = lock.nodes().stream()
                    .filter(node -> node.resolved().equals(url) || url.endsWith("/" + node.name()))
                    .map(node -> node.name() + " " + node.version())
                    .findFirst()
                    .orElse(url);
            String name = which.contains(" ") ? which.substring(0, which.indexOf(' ')) : "<package>";
            return new MoleculeException("The lock names " + which + " but registry " + layer.registry()
                    + " no longer serves it (" + url + " is 404). Publish it there again, or re-lock with `mvn"
                    + " molecule:lock -Dmolecule.lock.update=" + name + "` to take another version, and review the"
                    + " diff");
        }
        return new MoleculeException("npm ci of the locked " + lock.rootDependencies() + " from registry "
                + layer.registry() + " failed:\n" + outcome.errors() + "\nCheck the registry serves the locked"
                + " tarballs and that install scripts can run on this machine for " + layer.platform() + ".");
    }

    /** {@code <prefix>/bin} links to each package's {@code bin} entries, as a global install makes them. */
    private static void linkBins(NpmLock lock, Path prefix) throws IOException {
        for (String name : lock.rootDependencies().keySet()) {
            Path packageDir = prefix.resolve("lib/node_modules").resolve(name);
            Path manifest = packageDir.resolve("package.json");
            if (!Files.isRegularFile(manifest)) {
                continue;
            }
            JsonNode bin = Json.read(manifest).path("bin");
            Map<String, String> links = new TreeMap<>();
            if (bin.isTextual()) {
                links.put(name.substring(name.lastIndexOf('/') + 1), bin.asText());
            } else {
                bin.fields()
                        .forEachRemaining(
                                e -> links.put(e.getKey(), e.getValue().asText()));
            }
            for (Map.Entry<String, String> link : links.entrySet()) {
                Path target = packageDir.resolve(link.getValue()).normalize();
                if (!target.startsWith(packageDir) || !Files.exists(target)) {
                    continue;
                }
                Path binDir = Files.createDirectories(prefix.resolve("bin"));
                Path from = binDir.resolve(link.getKey());
                Files.deleteIfExists(from);
                Files.createSymbolicLink(from, binDir.relativize(target));
                Set<PosixFilePermission> mode = new TreeSet<>(Files.getPosixFilePermissions(target));
                mode.addAll(Set.of(
                        PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE));
                Files.setPosixFilePermissions(target, mode);
            }
        }
    }

    /** The install must place exactly what the key was computed over, or the key would lie. */
    private static void verifyInstalled(NpmLayer layer, List<NpmPackage> packages, Path prefix)
            throws MoleculeException {
        List<String> problems = new ArrayList<>();
        for (NpmPackage expected : packages) {
            Path manifest = prefix.resolve("lib").resolve(expected.path()).resolve("package.json");
            String version;
            try {
                version = Files.isRegularFile(manifest)
                        ? Json.read(manifest).path("version").asText("")
                        : "";
            } catch (IOException e) {
                version = "";
            }
            if (!version.equals(expected.version())) {
                problems.add(expected.name() + "@" + expected.version() + " is locked for " + expected.path()
                        + " but npm ci placed " + (version.isEmpty() ? "nothing" : version) + " there");
            }
        }
        if (!problems.isEmpty()) {
            throw new MoleculeException(numberedProblems(
                    "npm ci of the lock for " + layer.specs() + " did not place what is locked; npm ignored the"
                            + " platform " + layer.platform() + " or the lock is damaged. Re-lock with `mvn"
                            + " molecule:lock -Dmolecule.lock.upgrade`",
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

    private static String key(NpmLayer layer, NpmLock lock, List<NpmPackage> packages, Instant mtime) {
        KeyDigest key = new KeyDigest(FORMAT);
        key.line("registry " + layer.registry());
        key.line("platform " + layer.platform());
        key.line("prefix " + layer.prefix());
        key.line("mtime " + mtime.getEpochSecond());
        lock.rootDependencies().forEach((name, version) -> key.line("root " + name + "@" + version));
        for (NpmPackage p : packages) {
            key.line("package " + p.path() + " " + p.name() + "@" + p.version() + " " + p.integrity());
        }
        return key.hex();
    }
}
