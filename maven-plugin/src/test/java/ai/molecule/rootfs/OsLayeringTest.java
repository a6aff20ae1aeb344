package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.testing.RecordingLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled system split into package layers and the system layer above them: stacked as an
 * engine stacks them they show exactly the one-layer system, and a package added to one layer
 * leaves every other package layer byte for byte as it was.
 */
class OsLayeringTest {
    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final OsLayerPlan BEFORE = new OsLayerPlan(List.of(
            new OsLayerPlan.Group("debian-lower", List.of("base-passwd", "new-tools", "old-tools", "sudo")),
            new OsLayerPlan.Group("debian-upper", List.of("daemons", "mawk"))));
    private static final OsLayerPlan WITH_JQ = new OsLayerPlan(
            List.of(BEFORE.groups().get(0), new OsLayerPlan.Group("debian-upper", List.of("daemons", "jq", "mawk"))));

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @Test
    void stackedLayersShowExactlyTheAssembledSystem() throws Exception {
        Map<String, Path> debs = packages();
        OsLayerPlan plan = new OsLayerPlan(List.of(
                // new-tools replaces old-tools' file, but old-tools' layer lies above its own.
                new OsLayerPlan.Group("debian-lower", List.of("base-passwd", "new-tools", "sudo")),
                new OsLayerPlan.Group("debian-upper", List.of("mawk", "daemons", "old-tools"))));

        Map<String, String> single = stack(List.of(single(debs)));
        List<byte[]> layers = layers(debs, plan);

        assertThat(stack(layers)).isEqualTo(single);
        Map<String, String> system = stack(List.of(layers.get(2)));
        assertThat(system)
                .as("what the scripts write, what another package replaced, what a script chmods")
                .containsKeys("/etc/passwd", "/etc/group", "/var/lib/dpkg/status", "/usr/bin/awk", "/etc/sudoers")
                .containsEntry("/usr/bin/tool", "file 0755 0:0 new\n")
                .doesNotContainKeys("/usr/bin/sudo", "/usr/bin/mawk", "/usr/bin/daemon");
        assertThat(stack(List.of(layers.get(0))))
                .as("a package layer holds what its packages ship, as they ship it")
                .containsEntry("/etc/sudoers", "file 0644 0:0 root ALL=(ALL:ALL) ALL\n")
                .containsEntry("/usr/bin/sudo", "file 04755 0:0 binary\n")
                .doesNotContainKeys("/usr/bin/mawk", "/etc/passwd");
    }

    @Test
    void aPackageAddedToOneLayerChangesOnlyThatLayerAndTheSystemLayer() throws Exception {
        Map<String, Path> debs = packages();
        Map<String, Path> added = withJq(debs);

        List<byte[]> first = layers(debs, BEFORE);
        List<byte[]> second = layers(added, WITH_JQ);

        assertThat(second.get(0)).as("the layer without the new package").isEqualTo(first.get(0));
        assertThat(second.get(1)).isNotEqualTo(first.get(1));
        assertThat(second.get(2)).isNotEqualTo(first.get(2));
        assertThat(stack(second)).isEqualTo(stack(List.of(single(added))));
        assertThat(layers(debs, BEFORE)).as("same inputs, same bytes").containsExactlyElementsOf(first);
    }

    @Test
    void aCachedLayersPackagesAreTakenFromItsFilesWithTheSameResult() throws Exception {
        Map<String, Path> debs = packages();
        Path lower = dir.resolve("lower.tar");
        Path index = dir.resolve("lower.index");
        writeLayerAndIndex(debs, 0, lower, index);
        Map<String, Path> added = withJq(debs);

        List<byte[]> unpacked = layers(added, WITH_JQ);
        int mark = log.messages().size();
        List<byte[]> reused = layers(added, WITH_JQ, builder -> builder.reusing(lower, index));

        assertThat(reused).containsExactlyElementsOf(unpacked);
        assertThat(log.messages().subList(mark, log.messages().size()))
                .as("old-tools' file hides new-tools' in their layer, so new-tools is unpacked again")
                .anySatisfy(line -> assertThat(line).contains("7 packages (3 taken from cached layers)"));

        Files.writeString(index, "not an index\n");
        int second = log.messages().size();
        assertThat(layers(added, WITH_JQ, builder -> builder.reusing(lower, index)))
                .containsExactlyElementsOf(unpacked);
        assertThat(log.messages().subList(second, log.messages().size()))
                .anySatisfy(line -> assertThat(line).contains("unreadable; its packages are unpacked again"))
                .anySatisfy(line -> assertThat(line).contains("(0 taken from cached layers)"));
    }

    @Test
    void aChangedLayerTakesItsUnchangedPackagesFromTheVersionBeforeButNoOtherBuildOfThem() throws Exception {
        Map<String, Path> debs = packages();
        Path upper = dir.resolve("upper.tar");
        Path index = dir.resolve("upper.index");
        writeLayerAndIndex(debs, 1, upper, index);
        Map<String, Path> added = withJq(debs);

        List<byte[]> unpacked = layers(added, WITH_JQ);
        int mark = log.messages().size();
        assertThat(layers(added, WITH_JQ, builder -> builder.reusing(upper, index)))
                .as("debian-upper with jq, daemons and mawk read from the debian-upper written without jq")
                .containsExactlyElementsOf(unpacked);
        assertThat(log.messages().subList(mark, log.messages().size()))
                .anySatisfy(line -> assertThat(line).contains("7 packages (2 taken from cached layers)"));

        Map<String, Path> upgraded = new LinkedHashMap<>(added);
        upgraded.put(
                "mawk",
                TestDeb.named("mawk")
                        .field("Version", "1.0")
                        .file("/usr/bin/mawk", "MAWK\n", 0755)
                        .postinst(MaintainerScriptReadingTest.MAWK_POSTINST)
                        .build(Files.createDirectories(dir.resolve("rebuilt"))));
        List<byte[]> upgradedUnpacked = layers(upgraded, WITH_JQ);
        int second = log.messages().size();
        assertThat(layers(upgraded, WITH_JQ, builder -> builder.reusing(upper, index)))
                .as("a rebuild of mawk under the same name and version, same size of file, is unpacked")
                .containsExactlyElementsOf(upgradedUnpacked)
                .isNotEqualTo(unpacked);
        assertThat(log.messages().subList(second, log.messages().size()))
                .anySatisfy(line -> assertThat(line).contains("7 packages (1 taken from cached layers)"));
    }

    @Test
    void aPackageTheAssemblyWritesMustBeInTheLayerPlan() throws Exception {
        Map<String, Path> debs = packages();
        OsLayerPlan partial =
                new OsLayerPlan(List.of(new OsLayerPlan.Group("debian-lower", List.of("base-passwd", "sudo"))));

        assertThatThrownBy(() -> layers(debs, partial))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("new-tools")
                .hasMessageContaining("in no layer");
    }

    /** Layer {@code layer} of {@link #BEFORE} over {@code debs} and its index, as a cache keeps them. */
    private void writeLayerAndIndex(Map<String, Path> debs, int layer, Path tar, Path index) throws Exception {
        try (RootfsAssembler.Assembled assembled = assembler(debs).assemble(BEFORE)) {
            try (OutputStream out = Files.newOutputStream(tar)) {
                assembled.write(layer, out);
            }
            Files.write(index, assembled.index(layer));
        }
    }

    private Map<String, Path> withJq(Map<String, Path> debs) throws Exception {
        Map<String, Path> added = new LinkedHashMap<>(debs);
        added.put(
                "jq",
                TestDeb.named("jq")
                        .file("/usr/bin/jq", "jq\n", 0755)
                        .postinst("addgroup --system jq\n")
                        .build(dir));
        return added;
    }

    private Map<String, Path> packages() throws Exception {
        Map<String, Path> debs = new LinkedHashMap<>();
        debs.put(
                "base-passwd",
                TestDeb.named("base-passwd")
                        .file("/usr/share/base-passwd/passwd.master", RootfsAssemblerTest.PASSWD_MASTER, 0644)
                        .file("/usr/share/base-passwd/group.master", RootfsAssemblerTest.GROUP_MASTER, 0644)
                        .build(dir));
        debs.put(
                "sudo",
                TestDeb.named("sudo")
                        .file("/usr/bin/sudo", "binary\n", 04755)
                        .file("/etc/sudoers", "root ALL=(ALL:ALL) ALL\n", 0644)
                        .postinst("#!/bin/sh\nchmod 440 /etc/sudoers\n")
                        .build(dir));
        debs.put(
                "mawk",
                TestDeb.named("mawk")
                        .file("/usr/bin/mawk", "mawk\n", 0755)
                        .postinst(MaintainerScriptReadingTest.MAWK_POSTINST)
                        .build(dir));
        debs.put(
                "daemons",
                TestDeb.named("daemons")
                        .file("/bin/daemon", "d\n", 04755)
                        .hardlink("/bin/daemon2", "/bin/daemon")
                        .postinst("addgroup --system docker\n")
                        .build(dir));
        debs.put(
                "old-tools",
                TestDeb.named("old-tools").file("/usr/bin/tool", "old\n", 0755).build(dir));
        debs.put(
                "new-tools",
                TestDeb.named("new-tools")
                        .field("Replaces", "old-tools")
                        .file("/usr/bin/tool", "new\n", 0755)
                        .build(dir));
        return debs;
    }

    private RootfsAssembler assembler(Map<String, Path> debs) {
        return builder(debs).build();
    }

    private RootfsAssembler.Builder builder(Map<String, Path> debs) {
        return RootfsAssembler.builder()
                .packages(List.copyOf(debs.values()))
                .mtime(MTIME)
                .accounts(List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of("docker"))))
                .groups(List.of(new Group("docker", 999)))
                .log(log);
    }

    private byte[] single(Map<String, Path> debs) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assembler(debs).assemble(out);
        return out.toByteArray();
    }

    private List<byte[]> layers(Map<String, Path> debs, OsLayerPlan plan) throws Exception {
        return layers(debs, plan, builder -> builder);
    }

    private List<byte[]> layers(
            Map<String, Path> debs, OsLayerPlan plan, UnaryOperator<RootfsAssembler.Builder> options) throws Exception {
        List<byte[]> layers = new ArrayList<>();
        try (RootfsAssembler.Assembled assembled =
                options.apply(builder(debs)).build().assemble(plan)) {
            List<String> names = new ArrayList<>();
            plan.groups().forEach(group -> names.add(group.name()));
            names.add(RootfsAssembler.SYSTEM_LAYER);
            assertThat(assembled.layers()).isEqualTo(names);
            for (int i = 0; i < assembled.layers().size(); i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assembled.write(i, out);
                layers.add(out.toByteArray());
            }
        }
        return layers;
    }

    /**
     * The file system an engine shows for layer tars stacked bottom first: path → type, mode,
     * owner and content (a hardlink's, resolved in its layer), directories' contents dropped when
     * an upper layer puts a non-directory there.
     */
    static Map<String, String> stack(List<byte[]> layers) throws IOException {
        Map<String, String> shown = new TreeMap<>();
        for (byte[] layer : layers) {
            Map<String, String> contents = new HashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(layer))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    String path = "/" + entry.getName().replaceAll("/$", "");
                    String owner = entry.getLongUserId() + ":" + entry.getLongGroupId();
                    String mode = "0" + Integer.toOctalString(entry.getMode() & 07777);
                    String shownAs;
                    if (entry.isDirectory()) {
                        shownAs = "dir " + mode + " " + owner;
                    } else if (entry.isSymbolicLink()) {
                        shownAs = "symlink " + entry.getLinkName();
                    } else if (entry.isLink()) {
                        String target = contents.get("/" + entry.getLinkName());
                        assertThat(target)
                                .as("hardlink " + path + " to a file earlier in its layer")
                                .isNotNull();
                        shownAs = "file " + mode + " " + owner + " " + target;
                    } else {
                        String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                        contents.put(path, text);
                        shownAs = "file " + mode + " " + owner + " " + text;
                    }
                    assertThat(entry.getName()).as("no whiteouts").doesNotContain(".wh.");
                    String below = shown.put(path, shownAs);
                    if (below != null && below.startsWith("dir ") && !shownAs.startsWith("dir ")) {
                        shown.keySet().removeIf(p -> p.startsWith(path + "/"));
                    }
                }
            }
        }
        return shown;
    }
}
