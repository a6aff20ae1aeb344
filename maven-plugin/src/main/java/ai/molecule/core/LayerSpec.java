package ai.molecule.core;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A layer made of files: its name (shown in logs and the build report), its entries, and the build
 * arguments it declares. Every one of these goes into the layer's cache key.
 */
public record LayerSpec(String name, List<LayerEntry> entries, SortedMap<String, String> buildArgs) {

    public LayerSpec {
        entries =
                entries.stream().sorted(Comparator.comparing(LayerEntry::path)).toList();
        buildArgs = Collections.unmodifiableSortedMap(new TreeMap<>(buildArgs));
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).path().equals(entries.get(i - 1).path())) {
                throw new IllegalArgumentException(
                        "layer " + name + " holds " + entries.get(i).path() + " twice");
            }
        }
    }
}
