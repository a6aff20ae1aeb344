package ai.molecule.debian;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A synthetic archive of bookworm's three suites, built stanza by stanza in a test. */
final class TestArchive {
    static final List<String> SUITES = List.of("bookworm-security", "bookworm-updates", "bookworm");
    private static final URI ARCHIVE = URI.create("http://deb.debian.org/debian/");

    private final List<PackageStanza> stanzas = new ArrayList<>();

    /** A package of {@code bookworm}; {@code fields} are {@code "Depends: libc6"} lines. */
    TestArchive add(String name, String version, String... fields) {
        return addTo("bookworm", name, version, fields);
    }

    TestArchive addTo(String suite, String name, String version, String... fields) {
        Map<String, String> paragraph = new LinkedHashMap<>();
        paragraph.put("Package", name);
        paragraph.put("Version", version);
        paragraph.put("Architecture", "amd64");
        paragraph.put(
                "Filename", "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version + "_amd64.deb");
        paragraph.put("Size", "1048576");
        paragraph.put("SHA256", "0".repeat(64));
        for (String field : fields) {
            int colon = field.indexOf(':');
            paragraph.put(field.substring(0, colon), field.substring(colon + 1).strip());
        }
        stanzas.add(new PackageStanza(paragraph, suite, ARCHIVE));
        return this;
    }

    List<PackageStanza> stanzas() {
        return List.copyOf(stanzas);
    }

    Resolver resolver() throws ResolutionException {
        return Resolver.of(SUITES, "amd64", stanzas);
    }

    Resolution resolve(String... packages) throws ResolutionException {
        return resolver().resolve(request(packages));
    }

    Resolution resolve(ResolutionRequest request) throws ResolutionException {
        return resolver().resolve(request);
    }

    static ResolutionRequest request(String... packages) {
        return new ResolutionRequest(List.of(packages), List.of(), Map.of(), false);
    }

    static ResolutionRequest excluding(List<String> excludes, String... packages) {
        return new ResolutionRequest(List.of(packages), excludes, Map.of(), false);
    }

    static ResolutionRequest withInstalled(Map<String, String> installed, String... packages) {
        return new ResolutionRequest(List.of(packages), List.of(), installed, false);
    }
}
