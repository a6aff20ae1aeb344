package ai.molecule.run;

import ai.molecule.core.BuildLog;
import ai.molecule.core.MoleculeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The watch loop: builds the template, starts its workspace, then on every change under the
 * template's directory rebuilds in-process (validate, then only the layers whose inputs changed,
 * loaded into the engine alone) and restarts the workspace on the new image. A rebuild that fails
 * leaves the running workspace as it was; one that yields the same image leaves it running.
 */
public final class DevLoop {
    /** How long the tree must stay quiet before a rebuild starts. */
    static final Duration QUIET = Duration.ofMillis(50);

    private final Path root;
    private final Path pom;
    private final WorkspaceBuild build;
    private final LocalWorkspace workspace;
    private final BuildLog log;

    /**
     * @param root the template's directory, watched less {@code target/}
     * @param pom the POM, whose change makes the next build read the parameters again
     */
    public DevLoop(Path root, Path pom, WorkspaceBuild build, LocalWorkspace workspace, BuildLog log) {
        this.root = root.toAbsolutePath().normalize();
        this.pom = this.root.relativize(pom.toAbsolutePath().normalize());
        this.build = build;
        this.workspace = workspace;
        this.log = log;
    }

    /**
     * Watches until the thread is interrupted or the JVM exits (Ctrl-C), the workspace running on
     * the image {@code imageId} at the start.
     */
    public void watch(String imageId) throws IOException, InterruptedException {
        String running = imageId;
        try (SourceWatcher watcher = new SourceWatcher(root, QUIET)) {
            log.info("Watching " + root + " (less " + String.join(", ", SourceWatcher.SKIPPED_DIRECTORIES)
                    + "); Ctrl-C stops the workspace");
            while (!Thread.currentThread().isInterrupted()) {
                Set<Path> changed = watcher.next();
                running = rebuild(changed, running);
            }
        }
    }

    /** One turn of the loop; the image ID the workspace runs afterwards. */
    String rebuild(Set<Path> changed, String running) {
        log.info("Changed: "
                + String.join(", ", changed.stream().map(Path::toString).toList()));
        long start = System.nanoTime();
        WorkspaceBuild.Built result;
        try {
            result = build.build(changed.contains(pom) || changed.contains(Path.of(".")));
        } catch (MoleculeException | IOException | RuntimeException e) {
            log.warn("Rebuild failed; the workspace keeps running the previous image. Fix this and save again:\n"
                    + (e instanceof MoleculeException ? e.getMessage() : e.toString()));
            return running;
        }
        long built = System.nanoTime();
        if (result.imageId().equals(running)) {
            log.info("Image unchanged (" + millis(start, built) + " ms); the workspace keeps running");
            return running;
        }
        try {
            workspace.restart();
        } catch (MoleculeException e) {
            log.warn("The new image " + shortId(result.imageId()) + " did not start: " + e.getMessage());
            return running;
        }
        long restarted = System.nanoTime();
        log.info("Workspace restarted on " + shortId(result.imageId()) + " in " + millis(start, restarted)
                + " ms (validate " + result.validateMillis() + " ms, build and load " + result.buildMillis()
                + " ms, restart " + millis(built, restarted) + " ms)");
        return result.imageId();
    }

    static String shortId(String imageId) {
        String hex = imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
