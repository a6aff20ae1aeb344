package ai.molecule.rootfs;

import ai.molecule.rootfs.RootfsTree.Kind;
import ai.molecule.rootfs.RootfsTree.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /etc/shells} and {@code /var/lib/shells.state} as debianutils' {@code update-shells} writes
 * them on a fresh install: the template, then every shell in {@code
 * /usr/share/debianutils/shells.d/*} (C order), each also under its real path ({@code /bin/bash} and
 * {@code /usr/bin/bash} on merged-/usr).
 */
final class Shells {
    static final String TEMPLATE = "/usr/share/debianutils/shells";
    static final String SHELLS_D = "/usr/share/debianutils/shells.d";

    private Shells() {}

    static void apply(RootfsTree tree, Set<String> packages) throws IOException {
        if (!packages.contains("debianutils")) {
            return;
        }
        Optional<String> template = tree.readText(TEMPLATE);
        if (template.isEmpty()) {
            return;
        }
        Set<String> packaged = new LinkedHashSet<>();
        List<String> sources = new ArrayList<>();
        sources.add(template.get());
        for (Node node : tree.under(SHELLS_D).values()) {
            if (node.kind() == Kind.FILE
                    && PathAliases.parent(node.path()).equals(tree.aliases().lookup(SHELLS_D))) {
                sources.add(new String(tree.read(node), StandardCharsets.UTF_8));
            }
        }
        for (String source : sources) {
            for (String raw : source.split("\n")) {
                String shell = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
                if (shell.isEmpty()) {
                    continue;
                }
                packaged.add(shell);
                String real = tree.aliases().lookup(PathAliases.parent(shell)) + "/"
                        + shell.substring(shell.lastIndexOf('/') + 1);
                packaged.add(real);
            }
        }
        String current = tree.readText("/etc/shells").orElse(template.get());
        StringBuilder shells = new StringBuilder();
        Set<String> listed = new LinkedHashSet<>();
        for (String line : current.split("\n")) {
            String shell = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            if (shell.isEmpty() || listed.add(shell)) {
                shells.append(line).append('\n');
            }
        }
        StringBuilder state = new StringBuilder();
        for (String shell : packaged) {
            state.append(shell).append('\n');
            if (listed.add(shell)) {
                shells.append(shell).append('\n');
            }
        }
        tree.addFile("/etc/shells", shells.toString(), 0644);
        tree.addFile("/var/lib/shells.state", state.toString(), 0644);
    }
}
