package ai.molecule.pip;

import ai.molecule.core.Json;
import ai.molecule.core.LayerCache;
import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What {@code pip install --dry-run --report} resolved, as the lock's pins. */
final class PipReport {
    private PipReport() {}

    /**
     * @param project find-links files are recorded relative to it
     * @throws PipException for a distribution whose SHA-256 pip did not report and that is not a local file
     */
    static List<PipLock.Pin> pins(Path report, Path project) throws IOException, PipException {
        JsonNode root = Json.read(report);
        Set<String> names = new TreeSet<>();
        root.path("install")
                .forEach(item -> names.add(
                        PipLayer.normalize(item.path("metadata").path("name").asText())));
        List<PipLock.Pin> pins = new ArrayList<>();
        for (JsonNode item : root.path("install")) {
            JsonNode metadata = item.path("metadata");
            String name = PipLayer.normalize(metadata.path("name").asText());
            String url = item.path("download_info").path("url").asText("");
            String withoutFragment = url.replaceFirst("#.*$", "");
            String file = URLDecoder.decode(
                    withoutFragment.substring(withoutFragment.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
            String sha256 = sha256(item.path("download_info").path("archive_info"), withoutFragment);
            if (sha256.isEmpty()) {
                throw new PipException("pip resolved " + name + " "
                        + metadata.path("version").asText() + " from "
                        + UrlLogins.redact(withoutFragment) + " without a SHA-256, so it cannot be locked. Serve the"
                        + " index with hashes (PEP 503 #sha256= fragments) or put the wheel in a <findLinks>"
                        + " directory");
            }
            List<String> requires = new ArrayList<>(new TreeSet<>(dependencyNames(metadata)));
            requires.retainAll(names);
            requires.remove(name);
            pins.add(new PipLock.Pin(
                    name, metadata.path("version").asText(), file, where(withoutFragment, project), sha256, requires));
        }
        return pins;
    }

    private static String sha256(JsonNode archive, String url) throws IOException {
        String sha256 = archive.path("hashes").path("sha256").asText("");
        if (sha256.isEmpty() && archive.path("hash").asText("").startsWith("sha256=")) {
            sha256 = archive.path("hash").asText().substring("sha256=".length());
        }
        if (sha256.isEmpty() && url.startsWith("file:")) {
            sha256 = LayerCache.sha256(Path.of(URI.create(url)));
        }
        return sha256;
    }

    /** A find-links file relative to the project, an index URL without credentials. */
    private static String where(String url, Path project) {
        if (url.startsWith("file:")) {
            return PipLock.Inputs.relative(project, Path.of(URI.create(url)));
        }
        return UrlLogins.redact(url);
    }

    /** The names {@code Requires-Dist} mentions, markers ignored: updating a package frees at most these too. */
    private static Set<String> dependencyNames(JsonNode metadata) {
        List<String> names = new ArrayList<>();
        metadata.path("requires_dist")
                .forEach(requirement -> names.add(PipLayer.requirementName(requirement.asText())));
        return names.stream().filter(n -> !n.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }
}
