package ai.molecule.rootfs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which layer each Debian package goes in: a rule that looks at nothing but the package itself, so
 * that adding, removing or upgrading one package moves no other, and two images holding the same
 * large source package hold the same layer for it.
 *
 * <ul>
 *   <li>Packages go together by <em>source package</em> (the pool directory of their archive path,
 *       e.g. {@code pool/main/p/perl/} for perl, perl-base, libperl5.36 and perl-modules-5.36): they
 *       are built, upgraded and security-fixed together.
 *   <li>A source whose packages weigh at least {@value #LARGE_SOURCE_MIB} MiB (the .deb sizes the
 *       lock records) is a layer of its own, {@code debian-<source>}: docker.io, containerd,
 *       nodejs, git, perl… the bulk of the bytes and what templates share. At most {@value
 *       #MAX_SOURCE_LAYERS}, the largest (ties by name); the rest count as small.
 *   <li>Every other source goes into one of {@value #BUCKETS} layers, {@code debian-rest-1} …, by a
 *       fixed hash of its name.
 * </ul>
 *
 * Layers come in that order, source layers by name; empty buckets are left out. What the
 * maintainer scripts would write (the dpkg database, accounts, alternatives, the CA bundle…) and
 * whatever else differs from the package layers below goes in the layer {@link
 * RootfsAssembler#SYSTEM_LAYER} above them.
 */
public record OsLayerPlan(List<Group> groups) {
    static final int LARGE_SOURCE_MIB = 8;
    static final int MAX_SOURCE_LAYERS = 6;
    static final int BUCKETS = 3;
    private static final long LARGE_SOURCE = LARGE_SOURCE_MIB * 1024L * 1024L;

    /** Every package in the one {@link RootfsAssembler#SYSTEM_LAYER}. */
    public static final OsLayerPlan SINGLE = new OsLayerPlan(List.of());

    /**
     * A package as the lock records it.
     *
     * @param path its archive path, {@code pool/<component>/<prefix>/<source>/<file>.deb}
     * @param size the .deb's size in bytes
     */
    public record Package(String name, String path, long size) {
        /** The source package: the pool directory the .deb lies in, or the package's own name. */
        String source() {
            String[] parts = path.split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : name;
        }
    }

    /** One layer's packages, in the order given to {@link #of}. */
    public record Group(String name, List<String> packages) {
        public Group {
            Objects.requireNonNull(name, "name");
            packages = List.copyOf(packages);
        }
    }

    public OsLayerPlan {
        groups = List.copyOf(groups);
    }

    /** The layers of {@code packages} (each name once), bottom first. */
    public static OsLayerPlan of(List<Package> packages) {
        Map<String, Long> sourceSizes = new TreeMap<>();
        for (Package p : packages) {
            sourceSizes.merge(p.source(), p.size(), Long::sum);
        }
        List<String> large = sourceSizes.entrySet().stream()
                .filter(e -> e.getValue() >= LARGE_SOURCE)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_SOURCE_LAYERS)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        Map<String, List<String>> layers = new LinkedHashMap<>();
        large.forEach(source -> layers.put("debian-" + source, new ArrayList<>()));
        for (int bucket = 1; bucket <= BUCKETS; bucket++) {
            layers.put(bucketName(bucket), new ArrayList<>());
        }
        for (Package p : packages) {
            String source = p.source();
            String layer = large.contains(source) ? "debian-" + source : bucketName(bucket(source));
            layers.get(layer).add(p.name());
        }
        return new OsLayerPlan(layers.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> new Group(e.getKey(), e.getValue()))
                .toList());
    }

    /** 1 … {@link #BUCKETS}, from {@link String#hashCode}, which the Java language fixes. */
    static int bucket(String source) {
        return Math.floorMod(source.hashCode(), BUCKETS) + 1;
    }

    private static String bucketName(int bucket) {
        return "debian-rest-" + bucket;
    }
}
