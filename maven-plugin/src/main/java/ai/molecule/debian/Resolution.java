package ai.molecule.debian;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The packages to install, in name order, none of them already installed, each with the chain that
 * pulled it in.
 */
public record Resolution(List<PackageStanza> packages, Map<String, Chain> chains) {

    public Resolution {
        packages = List.copyOf(packages);
        chains = Collections.unmodifiableMap(new TreeMap<>(chains));
    }

    public List<String> names() {
        return packages.stream().map(PackageStanza::name).toList();
    }

    /** Why {@code name} is in the closure. */
    public Chain chain(String name) {
        Chain chain = chains.get(name);
        if (chain == null) {
            throw new NoSuchElementException(name + " is not in the closure");
        }
        return chain;
    }

    /** What {@code molecule.lock} records. */
    public List<LockedPackage> lock() {
        return packages.stream().map(PackageStanza::lock).toList();
    }

    /** Sum of the {@code Size} fields: the bytes of .deb files to download. */
    public long downloadSize() {
        return packages.stream()
                .mapToLong(stanza -> Long.parseLong(stanza.field("Size")))
                .sum();
    }
}
