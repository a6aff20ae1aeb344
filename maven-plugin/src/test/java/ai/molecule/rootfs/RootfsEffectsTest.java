package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.image.Account;
import ai.molecule.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsEffectsTest {
    @TempDir
    Path dir;

    @Test
    void theEffectsRunInThePinnedOrder() {
        assertThat(RootfsAssembler.EFFECTS)
                .extracting(RootfsEffect::name)
                .containsExactly(
                        "permission-fixes",
                        "alias-links",
                        "package-defaults",
                        "shells",
                        "accounts",
                        "special-directories",
                        "alternatives",
                        "pam-auth-update",
                        "ca-certificates",
                        "apt-sources",
                        "dpkg-database",
                        "missing-parents");
    }

    @Test
    void specialDirectoriesNeedTheAccountsEffectsHomes() throws Exception {
        try (ContentSpool spool = ContentSpool.create(dir)) {
            RootfsTree tree = new RootfsTree(spool, new PathAliases(PathAliases.MERGED_USR));
            tree.addFile("/usr/share/base-passwd/passwd.master", RootfsAssemblerTest.PASSWD_MASTER, 0644);
            tree.addFile("/usr/share/base-passwd/group.master", RootfsAssemblerTest.GROUP_MASTER, 0644);
            Assembly assembly = new Assembly(
                    tree,
                    List.of(),
                    Set.of("base-passwd"),
                    BaseSystem.EMPTY,
                    List.of(),
                    List.of(new Account("agent", 1000, 1000, "/home/agent", "/bin/bash", List.of())),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    RootfsAssemblerTest.MTIME_2026,
                    new RecordingLog());

            assertThatThrownBy(() -> effect("special-directories").apply(assembly))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("accounts effect has not run");

            effect("accounts").apply(assembly);
            effect("special-directories").apply(assembly);

            assertThat(tree.get("/home/agent")).hasValueSatisfying(home -> {
                assertThat(home.kind()).isEqualTo(RootfsTree.Kind.DIRECTORY);
                assertThat(home.uid()).isEqualTo(1000);
            });
        }
    }

    private static RootfsEffect effect(String name) {
        return RootfsAssembler.EFFECTS.stream()
                .filter(effect -> effect.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
