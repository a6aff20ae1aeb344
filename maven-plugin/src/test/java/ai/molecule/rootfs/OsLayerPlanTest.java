package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OsLayerPlanTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aLargeSourceIsALayerOfItsOwnWithAllItsPackages() {
        OsLayerPlan plan = OsLayerPlan.of(List.of(
                deb("perl", "pool/main/p/perl/perl_5.36.0-7_amd64.deb", 3 * MIB),
                deb("perl-base", "pool/main/p/perl/perl-base_5.36.0-7_amd64.deb", 2 * MIB),
                deb("libperl5.36", "pool/main/p/perl/libperl5.36_5.36.0-7_amd64.deb", 4 * MIB),
                deb("docker.io", "pool/main/d/docker.io/docker.io_20.10_amd64.deb", 35 * MIB),
                deb("jq", "pool/main/j/jq/jq_1.6-2.1_amd64.deb", 64 * 1024),
                deb("libssl3", "pool/updates/main/o/openssl/libssl3_3.0.17_amd64.deb", 2 * MIB)));

        Map<String, List<String>> layers = layers(plan);
        assertThat(layers.keySet()).startsWith("debian-docker.io", "debian-perl");
        assertThat(layers.get("debian-perl")).containsExactly("perl", "perl-base", "libperl5.36");
        assertThat(layers.get("debian-" + "rest-" + OsLayerPlan.bucket("jq"))).contains("jq");
        assertThat(layers.get("debian-rest-" + OsLayerPlan.bucket("openssl")))
                .as("a security update's pool path names the same source")
                .contains("libssl3");
        assertThat(layers.values().stream().mapToInt(List::size).sum()).isEqualTo(6);
    }

    @Test
    void atMostSixSourceLayersTheLargestFirstAndTheRestInBuckets() {
        List<OsLayerPlan.Package> debs = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            debs.add(deb("big" + i, "pool/main/b/big" + i + "/big" + i + ".deb", (8 + i) * MIB));
        }
        for (int i = 0; i < 30; i++) {
            debs.add(deb("small" + i, "pool/main/s/small" + i + "/small" + i + ".deb", MIB));
        }

        List<String> names = OsLayerPlan.of(debs).groups().stream()
                .map(OsLayerPlan.Group::name)
                .toList();

        assertThat(names)
                .containsExactly(
                        "debian-big3",
                        "debian-big4",
                        "debian-big5",
                        "debian-big6",
                        "debian-big7",
                        "debian-big8",
                        "debian-rest-1",
                        "debian-rest-2",
                        "debian-rest-3");
        assertThat(names.size() + 1).as("with the system layer, at most ten").isLessThanOrEqualTo(10);
    }

    @Test
    void addingOrUpgradingAPackageChangesOnlyTheLayerThatHoldsIt() {
        List<OsLayerPlan.Package> debs = new ArrayList<>();
        debs.add(deb("containerd", "pool/main/c/containerd/containerd_1.6.20_amd64.deb", 25 * MIB));
        debs.add(deb("git", "pool/main/g/git/git_2.39.5_amd64.deb", 9 * MIB));
        for (String name : List.of("bash", "curl", "sudo", "gosu", "rsync", "tar", "gzip", "sed", "grep", "less")) {
            debs.add(deb(name, "pool/main/" + name.charAt(0) + "/" + name + "/" + name + ".deb", MIB));
        }
        OsLayerPlan before = OsLayerPlan.of(debs);

        List<OsLayerPlan.Package> added = new ArrayList<>(debs);
        added.add(deb("jq", "pool/main/j/jq/jq_1.6_amd64.deb", 64 * 1024));
        List<OsLayerPlan.Package> upgraded = new ArrayList<>(debs);
        upgraded.set(0, deb("containerd", "pool/main/c/containerd/containerd_1.6.21_amd64.deb", 26 * MIB));

        assertThat(changed(before, OsLayerPlan.of(added))).containsExactly("debian-rest-" + OsLayerPlan.bucket("jq"));
        assertThat(changed(before, OsLayerPlan.of(upgraded)))
                .as("the upgrade changes that layer's key, not its package list")
                .isEmpty();
        assertThat(OsLayerPlan.of(debs)).isEqualTo(before);
    }

    @Test
    void aBucketWithoutPackagesIsLeftOut() {
        OsLayerPlan plan = OsLayerPlan.of(List.of(deb("jq", "pool/main/j/jq/jq.deb", 1024)));

        assertThat(plan.groups())
                .containsExactly(new OsLayerPlan.Group("debian-rest-" + OsLayerPlan.bucket("jq"), List.of("jq")));
    }

    private static List<String> changed(OsLayerPlan before, OsLayerPlan after) {
        Map<String, List<String>> old = layers(before);
        Map<String, List<String>> now = layers(after);
        assertThat(now.keySet()).as("the same layers").isEqualTo(old.keySet());
        return now.entrySet().stream()
                .filter(e -> !e.getValue().equals(old.get(e.getKey())))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static Map<String, List<String>> layers(OsLayerPlan plan) {
        return plan.groups().stream()
                .collect(Collectors.toMap(
                        OsLayerPlan.Group::name,
                        OsLayerPlan.Group::packages,
                        (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    private static OsLayerPlan.Package deb(String name, String path, long size) {
        return new OsLayerPlan.Package(name, path, size);
    }
}
