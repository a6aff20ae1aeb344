package ai.molecule.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.Json;
import ai.molecule.debian.DebianLock;
import ai.molecule.debian.LockedPackage;
import ai.molecule.npm.NpmLock;
import ai.molecule.pip.PipLock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoleculeLockTest {
    private static final URI MAIN = URI.create("http://deb.debian.org/debian/");
    private static final URI SECURITY = URI.create("http://deb.debian.org/debian-security/");

    @TempDir
    Path dir;

    @Test
    void everyEcosystemRoundTripsOneComponentPerLine() throws Exception {
        MoleculeLock lock = new MoleculeLock(
                debian(deb("sudo", "1.9.13p3-1+deb12u2", SECURITY), deb("curl", "7.88.1-10+deb12u14", MAIN)),
                npm("2.1.3"),
                pip("1.0.0"));
        Path file = dir.resolve(MoleculeLock.FILE_NAME);

        lock.write(file);

        assertThat(MoleculeLock.read(file)).isEqualTo(lock);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).filteredOn(l -> l.contains("\"sha256\"")).hasSize(3);
        assertThat(lines).filteredOn(l -> l.contains("\"integrity\"")).hasSize(1);
        assertThat(lines)
                .filteredOn(l -> l.contains("\"sha256\""))
                .first()
                .asString()
                .contains("\"name\":\"curl\"");
        assertThat(String.join("\n", lines))
                .contains(
                        "\"format\": 2", "\"debian\": {", "\"npm\": {", "\"pip\": {", "\"runtimeVersion\" : \"1.0.0\"");
    }

    @Test
    void theExamplesCommittedLocksAreWrittenBackByteForByte() throws Exception {
        for (String example : List.of("claude-code", "codex")) {
            Path committed = Path.of("..", "examples", example, MoleculeLock.FILE_NAME);
            Path copy = dir.resolve(example + ".lock");

            MoleculeLock.read(committed).write(copy);

            assertThat(copy).as(example).hasSameBinaryContentAs(committed);
        }
    }

    @Test
    void formatOneIsReadAsItsDebianSectionAndTheChangesSayItIsUpgraded() throws Exception {
        Path file = dir.resolve(MoleculeLock.FILE_NAME);
        DebianLock debian = debian(deb("curl", "7.88.1-10+deb12u14", MAIN));
        new MoleculeLock(debian, null, null).write(file);
        String formatTwo = Files.readString(file);
        // Format 1 had the Debian section's fields at the top level.
        ObjectNode one = (ObjectNode) Json.read(formatTwo).path("debian");
        one.put("format", 1);
        Files.writeString(file, Json.text(one));

        MoleculeLock read = MoleculeLock.read(file);

        assertThat(read.format()).isEqualTo(1);
        assertThat(read.debian()).isEqualTo(debian);
        assertThat(read.npm()).isNull();
        assertThat(LockChanges.between(read, new MoleculeLock(debian, null, null)))
                .containsExactly(
                        "lock format 1 → 2: the file now has a section per ecosystem (debian, npm, pip)",
                        "debian: unchanged (1 packages)");
    }

    @Test
    void damagedEntriesAndUnknownFormatsAreRefusedWithTheFix() throws Exception {
        Path file = Files.writeString(
                dir.resolve(MoleculeLock.FILE_NAME),
                "{\"format\": 2, \"pip\": {\"inputs\": {}, \"packages\": [{\"name\": \"x\", \"version\": \"1\"}]}}");
        assertThatThrownBy(() -> MoleculeLock.read(file))
                .hasMessageContaining("the pip entry")
                .hasMessageContaining("has no 'file'")
                .hasMessageEndingWith("Run `mvn molecule:lock` to write the lock again");

        Files.writeString(file, "{\"format\": 7}");
        assertThatThrownBy(() -> MoleculeLock.read(file)).hasMessageContaining("has lock format 7");
    }

    @Test
    void changesListAddedRemovedAndUpgradedPerEcosystemMarkingSecurityUpgrades() {
        MoleculeLock before = new MoleculeLock(
                debian(deb("curl", "7.88.1-10+deb12u8", MAIN), deb("less", "590-2", MAIN)), npm("2.1.3"), pip("1.0.0"));
        MoleculeLock after = new MoleculeLock(
                debian(deb("curl", "7.88.1-10+deb12u14", SECURITY), deb("jq", "1.6-2.1", MAIN)),
                npm("2.1.3"),
                pip("1.0.1"));

        assertThat(LockChanges.between(before, after))
                .containsExactly(
                        "debian: 1 added, 1 removed, 1 changed (2 packages)",
                        "  ~ curl 7.88.1-10+deb12u8 → 7.88.1-10+deb12u14 (security)",
                        "  + jq 1.6-2.1",
                        "  - less 590-2",
                        "npm: unchanged (1 packages)",
                        "pip: 0 added, 0 removed, 1 changed (1 packages)",
                        "  ~ molecule-ai-workspace-runtime 1.0.0 → 1.0.1");
    }

    private static LockedPackage deb(String name, String version, URI archive) {
        return new LockedPackage(name, version, "amd64", archive, "pool/main/" + name + ".deb", 1000, "a".repeat(64));
    }

    private static DebianLock debian(LockedPackage... packages) {
        return new DebianLock(
                new DebianLock.Inputs(
                        "bookworm",
                        "amd64",
                        List.of("main"),
                        MAIN,
                        SECURITY,
                        List.of("curl"),
                        List.of(),
                        true,
                        List.of(),
                        List.of()),
                List.of(packages));
    }

    private static NpmLock npm(String version) {
        ObjectNode root = Json.object();
        root.putObject("dependencies").put("@anthropic-ai/claude-code", version);
        ObjectNode cli = Json.object();
        cli.put("version", version);
        cli.put("resolved", "https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-" + version + ".tgz");
        cli.put("integrity", "sha512-" + "b".repeat(86) + "==");
        return new NpmLock(
                new NpmLock.Inputs(
                        List.of("@anthropic-ai/claude-code"), "https://registry.npmjs.org/", "linux", "x64", "glibc"),
                List.of(new NpmLock.Node("", root), new NpmLock.Node("node_modules/@anthropic-ai/claude-code", cli)));
    }

    private static PipLock pip(String version) {
        return new PipLock(
                new PipLock.Inputs(
                        List.of(),
                        "molecule-ai-workspace-runtime",
                        version,
                        null,
                        List.of(),
                        List.of("target/wheelhouse"),
                        true,
                        "3.11",
                        List.of("manylinux2014_x86_64", "linux_x86_64", "any")),
                List.of(new PipLock.Pin(
                        "molecule-ai-workspace-runtime",
                        version,
                        "molecule_ai_workspace_runtime-" + version + "-py3-none-any.whl",
                        "target/wheelhouse/molecule_ai_workspace_runtime-" + version + "-py3-none-any.whl",
                        "c".repeat(64),
                        List.of())));
    }
}
