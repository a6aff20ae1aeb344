package ai.molecule.build;

import ai.molecule.core.CacheOutcome;
import ai.molecule.core.Json;
import ai.molecule.core.LayerCache;
import ai.molecule.core.LayerTarWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/** Reads and writes the {@code docker save} / {@code docker load} tar format. */
final class DockerSaveTar {

    private DockerSaveTar() {}

    /**
     * Reads a docker-save tar (layers plain or gzip-compressed) into the layer cache, checking each
     * layer against the diff_ids of its config. An {@link IOException} says what is wrong with it.
     */
    static BaseLayers read(Path tarPath, LayerCache cache) throws IOException {
        try (TarFile tar = new TarFile(tarPath)) {
            Map<String, TarArchiveEntry> entries = new HashMap<>();
            for (TarArchiveEntry entry : tar.getEntries()) {
                entries.put(normalize(entry.getName()), entry);
            }
            TarArchiveEntry manifestEntry = entries.get("manifest.json");
            if (manifestEntry == null) {
                throw new IOException("it has no manifest.json, so it is not a docker-save tar");
            }
            JsonNode manifest = readJson(tar, manifestEntry);
            if (!manifest.isArray() || manifest.size() != 1) {
                throw new IOException("it holds " + manifest.size() + " images; a base must hold exactly one");
            }
            JsonNode image = manifest.get(0);
            TarArchiveEntry configEntry =
                    entries.get(normalize(image.path("Config").asText()));
            if (configEntry == null) {
                throw new IOException("it lacks the config file its manifest names ("
                        + image.path("Config").asText() + "); the tar is incomplete");
            }
            ObjectNode config = (ObjectNode) readJson(tar, configEntry);
            JsonNode diffIds = config.path("rootfs").path("diff_ids");
            JsonNode layerFiles = image.path("Layers");
            if (diffIds.size() != layerFiles.size()) {
                throw new IOException("its manifest names " + layerFiles.size() + " layers but its config lists "
                        + diffIds.size() + " diff_ids; the tar is damaged");
            }
            List<LayerCache.Blob> layers = new ArrayList<>();
            List<CacheOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < layerFiles.size(); i++) {
                String expected = diffIds.get(i).asText();
                Optional<LayerCache.Blob> cached = cache.blob(expected);
                if (cached.isPresent()) {
                    layers.add(cached.get());
                    outcomes.add(CacheOutcome.HIT);
                    continue;
                }
                TarArchiveEntry layerEntry =
                        entries.get(normalize(layerFiles.get(i).asText()));
                if (layerEntry == null) {
                    throw new IOException("it lacks layer file " + layerFiles.get(i)
                            + " that its manifest names; the tar is incomplete");
                }
                LayerCache.Blob blob = cache.storeBlob(out -> {
                    try (InputStream in = uncompressed(tar.getInputStream(layerEntry))) {
                        in.transferTo(out);
                    }
                });
                if (!blob.digest().equals(expected)) {
                    throw new IOException("its layer " + layerFiles.get(i) + " has digest " + blob.digest()
                            + " but the config says " + expected + "; the tar is damaged");
                }
                layers.add(blob);
                outcomes.add(CacheOutcome.FETCHED);
            }
            return new BaseLayers(config, layers, outcomes);
        }
    }

    /**
     * Writes a loadable image. The bottom {@code omitBottom} layers' files are left out, which {@code
     * docker load} accepts when the engine already holds that chain; a layer that occurs twice is
     * written once.
     */
    static void write(
            OutputStream out,
            byte[] config,
            String configHex,
            List<LayerCache.Blob> layers,
            String repoTag,
            Instant mtime,
            int omitBottom)
            throws IOException {
        TarArchiveOutputStream tar = LayerTarWriter.open(out);
        ArrayNode layerNames = Json.array();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerCache.Blob layer = layers.get(i);
            String name = layer.hex() + "/layer.tar";
            layerNames.add(name);
            if (i < omitBottom || !written.add(layer.digest())) {
                continue;
            }
            putDirectory(tar, layer.hex() + "/", mtime);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(layer.size());
            stamp(entry, 0100644, mtime);
            tar.putArchiveEntry(entry);
            Files.copy(layer.path(), tar);
            tar.closeArchiveEntry();
        }
        putBytes(tar, configHex + ".json", config, mtime);
        ObjectNode image = Json.object();
        image.put("Config", configHex + ".json");
        image.putArray("RepoTags").add(repoTag);
        image.set("Layers", layerNames);
        putBytes(tar, "manifest.json", Json.bytes(Json.array().add(image)), mtime);
        tar.finish();
        tar.flush();
    }

    private static void putDirectory(TarArchiveOutputStream tar, String name, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        stamp(entry, 0040755, mtime);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes, Instant mtime)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        stamp(entry, 0100644, mtime);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void stamp(TarArchiveEntry entry, int mode, Instant mtime) {
        entry.setMode(mode);
        entry.setModTime(Date.from(mtime));
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
    }

    private static JsonNode readJson(TarFile tar, TarArchiveEntry entry) throws IOException {
        try (InputStream in = tar.getInputStream(entry)) {
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static InputStream uncompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        int magic = in.read() | (in.read() << 8);
        in.reset();
        return magic == GZIPInputStream.GZIP_MAGIC ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private static String normalize(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }
}
