package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerKey;
import ai.molecule.core.LayerSpec;
import ai.molecule.core.LayerTarWriter;
import ai.molecule.core.MoleculeException;
import ai.molecule.image.LayerKind;
import ai.molecule.validate.PlatformMountsRule;
import ai.molecule.validate.SecretRule;
import ai.molecule.validate.SecretScanner;
import ai.molecule.validate.ValidationException;
import ai.molecule.validate.Violation;
import ai.molecule.workspace.WorkspaceAssets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A layer of files: refused when it ships anything under the platform's mounts (checked on every
 * build, cached or not), written as a tar, scanned for credential-shaped strings and only then
 * stored, so a layer holding a secret never reaches the cache. Debian, pip and npm layers are not
 * scanned: third-party packages ship test keys and fixtures that look like credentials.
 */
record FilesStep(LayerSpec layer, Instant mtime) implements LayerStep {

    @Override
    public LayerKind kind() {
        return LayerKind.FILES;
    }

    @Override
    public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
        return List.of(build(layer, mtime, context));
    }

    static Built build(LayerSpec layer, Instant mtime, BuildContext context) throws MoleculeException, IOException {
        List<Violation> mounted = PlatformMountsRule.violations(layer, Path::toString);
        if (!mounted.isEmpty()) {
            throw new ValidationException(
                    "Layer " + layer.name() + " ships files under the platform's mounts", mounted);
        }
        String key = LayerKey.of(layer, mtime);
        Optional<LayerCache.Blob> hit = context.cache().lookupLayer(key);
        if (hit.isPresent()) {
            return new Built(layer.name(), key, hit.get(), CacheOutcome.HIT, List.of());
        }
        Path part = Files.createTempFile(context.workDir(), ".layer-", ".tar");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 256 * 1024)) {
                LayerTarWriter.write(layer, mtime, out);
            }
            List<SecretScanner.TarFinding> findings;
            try (InputStream in = Files.newInputStream(part)) {
                findings = SecretScanner.scanTar(in);
            }
            if (!findings.isEmpty()) {
                throw secretsIn(layer, findings);
            }
            return new Built(
                    layer.name(),
                    key,
                    context.cache().storeLayer(key, out -> Files.copy(part, out)),
                    CacheOutcome.MISS,
                    List.of());
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static ValidationException secretsIn(LayerSpec layer, List<SecretScanner.TarFinding> findings) {
        List<Violation> violations = new ArrayList<>();
        for (SecretScanner.TarFinding found : findings) {
            String source = layer.entries().stream()
                    .filter(entry -> entry.path().equals(found.path()) && entry.source() != null)
                    .map(entry -> entry.source() + " (" + found.path() + ")")
                    .findFirst()
                    .orElse(found.path());
            violations.add(SecretRule.violation(source, found.finding()));
        }
        return new ValidationException("Layer " + layer.name() + " holds credential-shaped strings", violations);
    }

    /** The workspace's standard assets, extracted once per content into the cache directory. */
    record Workspace(Instant mtime) implements LayerStep {
        @Override
        public LayerKind kind() {
            return LayerKind.WORKSPACE;
        }

        @Override
        public List<Built> build(BuildContext context, Resolution resolution) throws MoleculeException, IOException {
            return List.of(FilesStep.build(WorkspaceAssets.layer(context.cacheRoot()), mtime, context));
        }
    }
}
