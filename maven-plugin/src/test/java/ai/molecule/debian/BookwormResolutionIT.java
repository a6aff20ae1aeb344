package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.build.DebianImageIT;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver on the real bookworm archive (about 66,000 stanzas), with the claude-code package set. */
class BookwormResolutionIT {
    private static final List<String> CLAUDE_CODE = DebianImageIT.CLAUDE_CODE_PACKAGES;

    private static List<PackageStanza> stanzas;
    private static Resolver resolver;
    private static long indexMillis;

    @BeforeAll
    static void loadTheRealIndexes() throws IOException, InterruptedException, ResolutionException {
        long loading = System.nanoTime();
        stanzas = BookwormIndexes.load();
        long indexing = System.nanoTime();
        resolver = Resolver.of(TestArchive.SUITES, "amd64", stanzas);
        indexMillis = (System.nanoTime() - indexing) / 1_000_000;
        System.out.printf(
                "bookworm: %d stanzas read in %d ms, indexed in %d ms%n",
                stanzas.size(), (indexing - loading) / 1_000_000, indexMillis);
    }

    @Test
    void claudeCodeSetResolvesToAConsistentClosure() throws ResolutionException {
        long start = System.nanoTime();
        Resolution resolution = resolver.resolve(new ResolutionRequest(CLAUDE_CODE, List.of(), Map.of(), true));
        long resolveMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "claude-code closure: %d packages, %.1f MB of .deb files, resolved in %d ms%n",
                resolution.packages().size(), resolution.downloadSize() / 1e6, resolveMillis);

        assertThat(resolution.names())
                .contains(
                        "bash",
                        "dash",
                        "coreutils",
                        "libc6",
                        "sudo",
                        "python3.11",
                        "nodejs",
                        "docker.io",
                        "gh",
                        "base-passwd",
                        "ca-certificates")
                .containsAll(CLAUDE_CODE)
                .doesNotHaveDuplicates()
                .isSorted();
        assertThat(resolution.packages())
                .extracting(PackageStanza::architecture)
                .containsOnly("amd64", "all");
        ClosureChecker checker = new ClosureChecker(resolution.packages(), "amd64");
        assertThat(checker.unmetDependencies()).isEmpty();
        assertThat(checker.clashes()).isEmpty();
        assertThat(resolveMillis).isLessThan(5_000);
    }

    @Test
    void everyPackageIsTheHighestVersionOfAnySuiteAndTracesBackToARoot() throws ResolutionException {
        Resolution resolution = resolver.resolve(new ResolutionRequest(CLAUDE_CODE, List.of(), Map.of(), true));
        Set<String> required =
                resolver.index().required().stream().map(PackageVersion::name).collect(Collectors.toSet());

        for (PackageStanza stanza : resolution.packages()) {
            DebianVersion chosen = DebianVersion.parse(stanza.version());
            assertThat(resolver.index().versions(stanza.name()))
                    .as("versions of %s", stanza.name())
                    .allSatisfy(available -> assertThat(available.version()).isLessThanOrEqualTo(chosen));
            Chain chain = resolution.chain(stanza.name());
            assertThat(chain.origin() == Chain.Origin.PACKAGES ? CLAUDE_CODE : required)
                    .as("root of %s", chain)
                    .contains(chain.root());
        }
        assertThat(resolution.chain("python3.11").toString()).startsWith("<packages> asks for python3: python3 ");
    }

    @Test
    void realResolutionIsDeterministic() throws ResolutionException {
        ResolutionRequest request = new ResolutionRequest(CLAUDE_CODE, List.of(), Map.of(), true);

        Resolution first = resolver.resolve(request);
        Resolution second = Resolver.of(TestArchive.SUITES, "amd64", stanzas).resolve(request);

        assertThat(second.packages()).isEqualTo(first.packages());
        assertThat(second.chains()).isEqualTo(first.chains());
    }

    @Test
    void packagesOfABaseImageAreLeftOutAndStillMeetDependencies() throws ResolutionException {
        Resolution minimal = resolver.resolve(new ResolutionRequest(List.of(), List.of(), Map.of(), true));
        Map<String, String> base =
                minimal.packages().stream().collect(Collectors.toMap(PackageStanza::name, PackageStanza::version));

        Resolution onTop = resolver.resolve(new ResolutionRequest(CLAUDE_CODE, List.of(), base, true));

        assertThat(base).containsKeys("bash", "coreutils", "libc6", "dpkg");
        assertThat(onTop.names()).doesNotContainAnyElementsOf(base.keySet()).contains("sudo", "docker.io");
        List<PackageStanza> image = new ArrayList<>(minimal.packages());
        image.addAll(onTop.packages());
        assertThat(new ClosureChecker(image, "amd64").unmetDependencies()).isEmpty();
    }

    @Test
    void everyRelationFieldOfTheArchiveParses() {
        long relations = 0;
        for (PackageStanza stanza : stanzas) {
            for (String field : List.of("Pre-Depends", "Depends", "Conflicts", "Breaks")) {
                relations += Relation.parseField(stanza.field(field)).size();
            }
            relations += Relation.parseProvides(stanza.field("Provides")).size();
        }

        assertThat(relations).isGreaterThan(200_000);
    }
}
