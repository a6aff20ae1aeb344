package ai.molecule.pip;

import ai.molecule.core.UrlLogins;
import ai.molecule.image.PipLayer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What {@code pip install --dry-run --report} resolved: each distribution, sorted by name. */
record PipReport(String pipVersion, List<PipComponent> components) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PipReport read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        List<PipComponent> components = new ArrayList<>();
        for (JsonNode item : root.path("install")) {
            JsonNode download = item.path("download_info");
            JsonNode archive = download.path("archive_info");
            String sha256 = archive.path("hashes").path("sha256").asText("");
            if (sha256.isEmpty() && archive.path("hash").asText("").startsWith("sha256=")) {
                sha256 = archive.path("hash").asText().substring("sha256=".length());
            }
            components.add(new PipComponent(
                    PipLayer.normalize(item.path("metadata").path("name").asText()),
                    item.path("metadata").path("version").asText(),
                    sha256,
                    UrlLogins.redact(download.path("url").asText(""))));
        }
        components.sort(Comparator.comparing(PipComponent::name));
        return new PipReport(root.path("pip_version").asText(""), components);
    }
}
