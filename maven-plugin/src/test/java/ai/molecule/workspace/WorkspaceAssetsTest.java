package ai.molecule.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.contract.WorkspaceContract;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceAssetsTest {
    @TempDir
    Path cache;

    @Test
    void layerHoldsTheContractPathsWithTheirModesOwnedByRoot() throws Exception {
        LayerSpec layer = WorkspaceAssets.layer(cache);

        assertThat(layer.name()).isEqualTo("workspace");
        assertThat(layer.entries())
                .extracting(e -> e.path() + " " + Integer.toOctalString(e.mode()) + " " + e.type())
                .containsExactly(
                        "/etc/molecule 755 DIRECTORY",
                        "/etc/molecule/entrypoint.d 755 DIRECTORY",
                        "/etc/sudoers.d/molecule-agent 440 FILE",
                        "/usr/local/bin/molecule-askpass 755 FILE",
                        "/usr/local/bin/molecule-entrypoint 755 FILE",
                        "/usr/local/bin/molecule-git-token-helper 755 FILE",
                        "/usr/local/bin/molecule-token-refresh 755 FILE",
                        "/usr/local/lib/molecule 755 DIRECTORY",
                        "/usr/local/lib/molecule/agent-start 755 FILE");
        assertThat(layer.entries()).allMatch(e -> e.uid() == 0 && e.gid() == 0);
    }

    @Test
    void filesAreExtractedOncePerContentUnderTheCache() throws Exception {
        LayerSpec first = WorkspaceAssets.layer(cache);
        LayerSpec second = WorkspaceAssets.layer(cache);

        assertThat(second).isEqualTo(first);
        LayerEntry sudoers = first.entries().stream()
                .filter(e -> e.path().equals("/etc/sudoers.d/molecule-agent"))
                .findFirst()
                .orElseThrow();
        assertThat(sudoers.source().getParent().getParent()).isEqualTo(cache.resolve("workspace-assets"));
        assertThat(sudoers.source().getParent().getFileName().toString()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(sudoers.source())).contains("\nagent ALL=(ALL) NOPASSWD:ALL\n");
        try (var listing = Files.list(cache.resolve("workspace-assets"))) {
            assertThat(listing).hasSize(1);
        }
    }

    @Test
    void agentIsUid1000WithBashInTheDockerGroup() {
        assertThat(WorkspaceAssets.AGENT.uid()).isEqualTo(1000);
        assertThat(WorkspaceAssets.AGENT.gid()).isEqualTo(1000);
        assertThat(WorkspaceAssets.AGENT.home()).isEqualTo("/home/agent");
        assertThat(WorkspaceAssets.AGENT.shell()).isEqualTo("/bin/bash");
        assertThat(WorkspaceAssets.AGENT.supplementaryGroups()).containsExactly("docker");
        assertThat(WorkspaceAssets.DOCKER.name()).isEqualTo("docker");
    }

    /** The scripts cannot read the contract at run time; their defaults must be its values. */
    @Test
    void scriptDefaultsAreTheContractsValues() throws Exception {
        String entrypoint = WorkspaceAssets.text("molecule-entrypoint");
        String home = WorkspaceContract.AGENT_HOME;
        assertThat(entrypoint)
                .contains("readonly AGENT=" + WorkspaceContract.AGENT + "\n")
                .contains("readonly AGENT_HOME=" + home + "\n")
                .contains("readonly AGENT_START="
                        + WorkspaceContract.asset("agent-start").path() + "\n")
                .contains("${MOLECULE_CONFIGS_DIR:-" + WorkspaceContract.CONFIGS + "}")
                .contains("${MOLECULE_WORKSPACE_DIR:-" + WorkspaceContract.WORKSPACE + "}")
                .contains("${MOLECULE_DOCKER_SOCKET:-" + WorkspaceContract.DOCKER_SOCKET + "}")
                .contains("$AGENT_HOME" + WorkspaceContract.TOKEN_CACHE.substring(home.length()))
                .contains("$root" + WorkspaceContract.RESTORE_MARKER);
        String helper = WorkspaceAssets.text("molecule-git-token-helper");
        assertThat(helper)
                .contains("${MOLECULE_CONFIGS_DIR:-" + WorkspaceContract.CONFIGS + "}")
                .contains("$CONFIGS_DIR" + WorkspaceContract.AUTH_TOKEN.substring(WorkspaceContract.CONFIGS.length()))
                .contains("${HOME:-" + home + "}" + WorkspaceContract.TOKEN_CACHE.substring(home.length()));
        assertThat(WorkspaceAssets.text("agent-start"))
                .contains("${MOLECULE_HOOKS_DIR:-" + WorkspaceContract.HOOKS_DIRECTORY + "}");
    }
}
