package ai.molecule.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Watches a template's directory tree, less its build output and tool directories at the top, and hands out
 * the files that changed once the tree has been quiet for a moment (editors write a file in several
 * steps: a swap file, a rename, a second write).
 */
final class SourceWatcher implements Closeable {
    /** Directories that are output or tool state, never build input. */
    static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", ".mvn", ".idea", ".vscode", "node_modules");

    private final Path root;
    private final Duration quiet;
    private final WatchService service;

    SourceWatcher(Path root, Duration quiet) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.quiet = quiet;
        this.service = FileSystems.getDefault().newWatchService();
        register(this.root);
    }

    /** Blocks until something changes; the changed paths, relative to the root, once the tree is quiet. */
    Set<Path> next() throws InterruptedException, IOException {
        Set<Path> changed = new TreeSet<>();
        while (changed.isEmpty()) {
            collect(service.take(), changed);
            WatchKey more;
            while ((more = service.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                collect(more, changed);
            }
        }
        return changed;
    }

    private void collect(WatchKey key, Set<Path> changed) throws IOException {
        Path directory = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add(Path.of("."));
                continue;
            }
            Path path = directory.resolve((Path) event.context());
            if (skipped(path)) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
                register(path);
            }
            changed.add(root.relativize(path));
        }
        key.reset();
    }

    private void register(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (skipped(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                try {
                    dir.register(
                            service,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                } catch (ClosedWatchServiceException e) {
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Under a skipped directory of the root, or an editor's swap or backup file. */
    private boolean skipped(Path path) {
        Path relative = root.relativize(path);
        if (relative.getNameCount() > 0
                && SKIPPED_DIRECTORIES.contains(relative.getName(0).toString())) {
            return true;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.endsWith("~")
                || name.endsWith(".swp")
                || name.endsWith(".swx")
                || name.startsWith(".#")
                || name.equals("4913");
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
