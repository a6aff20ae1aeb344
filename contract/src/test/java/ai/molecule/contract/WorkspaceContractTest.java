package ai.molecule.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkspaceContractTest {

    @Test
    void theAgentAndItsFilesAgree() {
        assertThat(WorkspaceContract.AGENT).isEqualTo("agent");
        assertThat(WorkspaceContract.AGENT_UID).isEqualTo(1000);
        assertThat(WorkspaceContract.TOKEN_CACHE).startsWith(WorkspaceContract.AGENT_HOME + "/");
        assertThat(WorkspaceContract.AUTH_TOKEN).startsWith(WorkspaceContract.CONFIGS + "/");
        assertThat(WorkspaceContract.RESTORE_MARKER).startsWith(WorkspaceContract.CONFIGS + "/");
        assertThat(WorkspaceContract.PLATFORM_MOUNTS)
                .containsExactly(
                        WorkspaceContract.CONFIGS, WorkspaceContract.WORKSPACE, WorkspaceContract.RESTORE_SOURCE);
    }

    @Test
    void assetsKeepTheirOrderModesAndRequiredPaths() {
        assertThat(WorkspaceContract.ASSETS)
                .extracting(WorkspaceContract.Asset::resource)
                .containsExactly(
                        "molecule-entrypoint",
                        "agent-start",
                        "molecule-askpass",
                        "molecule-git-token-helper",
                        "molecule-token-refresh",
                        "molecule-agent.sudoers");
        assertThat(WorkspaceContract.asset("molecule-agent.sudoers").mode()).isEqualTo(0440);
        assertThat(WorkspaceContract.asset("agent-start").mode()).isEqualTo(0755);
        assertThat(WorkspaceContract.requiredPaths())
                .containsExactly(
                        WorkspaceContract.ENTRYPOINT,
                        WorkspaceContract.ASKPASS,
                        WorkspaceContract.TOKEN_HELPER,
                        WorkspaceContract.SUDOERS_DROP_IN);
        assertThatThrownBy(() -> WorkspaceContract.asset("nope")).hasMessageContaining("no asset nope");
    }

    @Test
    void malformedLinesAreNamedByNumber() throws Exception {
        assertThatThrownBy(() -> parse("# c\n\nagent.name=agent\njust text\n"))
                .hasMessage("workspace-contract.properties line 4: `just text` is not key=value");
        assertThatThrownBy(() -> parse("a=1\na=2\n")).hasMessage("workspace-contract.properties line 2: a again");
        assertThat(parse(" b = x y \na=1\n")).containsExactly(Map.entry("b", "x y"), Map.entry("a", "1"));
    }

    private static Map<String, String> parse(String text) throws Exception {
        return WorkspaceContract.parse(new BufferedReader(new StringReader(text)));
    }
}
