package ai.molecule.workspace;

import static ai.molecule.workspace.Scripts.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The root half's steps that need no root, run by sourcing the entrypoint and calling one function. */
class EntrypointFunctionsTest {
    private static final String AUTH_SECRET = "restored-auth-token-secret";

    @RegisterExtension
    final Scripts scripts = new Scripts();

    private Path source;
    private Path target;

    @BeforeEach
    void setUp() throws Exception {
        Path dir = scripts.dir;
        source = dir.resolve("snapshot");
        target = dir.resolve("root");
        write(source.resolve("configs/config.yaml"), "model: x\n");
        write(source.resolve("configs/.auth_token"), AUTH_SECRET);
        write(source.resolve("workspace/src/main.py"), "print('hi')\n");
        write(source.resolve("home/agent/.claude/settings.json"), "{}\n");
        write(source.resolve("etc/passwd"), "intruder:x:0:0::/:/bin/sh\n");
        write(source.resolve("home/agent/.bashrc"), "not allowlisted\n");
        write(target.resolve("workspace/stale.txt"), "removed by the restore\n");
        scripts.env.put("MOLECULE_RESTORE_DIR", source.toString());
        scripts.env.put("MOLECULE_RESTORE_TARGET", target.toString());
    }

    @Test
    void restoreCopiesTheAllowlistWithDeleteAndWritesTheMarker() throws Exception {
        Scripts.Result result = call("restore_from_secondary_volume").leaksNone(AUTH_SECRET);

        assertThat(Files.readString(target.resolve("configs/.auth_token"))).isEqualTo(AUTH_SECRET);
        assertThat(target.resolve("configs/config.yaml")).exists();
        assertThat(target.resolve("workspace/src/main.py")).exists();
        assertThat(target.resolve("home/agent/.claude/settings.json")).exists();
        assertThat(target.resolve("workspace/stale.txt")).doesNotExist();
        assertThat(target.resolve("etc")).doesNotExist();
        assertThat(target.resolve("home/agent/.bashrc")).doesNotExist();
        assertThat(target.resolve("configs/.restore-completed")).exists();
        assertThat(result.all().lines()).isNotEmpty().allMatch(line -> line.startsWith("MOLECULE-RESTORE: "));
        assertThat(result.stdout()).contains("complete; marker");
    }

    @Test
    void secondRestoreIsSkippedByTheMarker() throws Exception {
        call("restore_from_secondary_volume");
        write(source.resolve("workspace/late.txt"), "after the first boot\n");

        Scripts.Result again = call("restore_from_secondary_volume");

        assertThat(again.stdout()).startsWith("MOLECULE-RESTORE: marker ").contains("skipping");
        assertThat(target.resolve("workspace/late.txt")).doesNotExist();
    }

    @Test
    void noDeviceAndNoDirectoryIsAQuietSkip() throws Exception {
        scripts.env.remove("MOLECULE_RESTORE_DIR");
        scripts.env.put(
                "MOLECULE_RESTORE_DEVICE", scripts.dir.resolve("no-such-device").toString());

        Scripts.Result result = call("restore_from_secondary_volume");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("MOLECULE-RESTORE: no block device");
        assertThat(target.resolve("configs/.restore-completed")).doesNotExist();
    }

    @Test
    void bootContextNamesVariablesButNeverTheirValues() throws Exception {
        scripts.env.put("ANTHROPIC_API_KEY", "sk-ant-bootSecret");
        scripts.env.put("GH_TOKEN", "ghp_bootSecret");
        scripts.env.put("MOLECULE_BOOT_ENV_NAMES", "TEMPLATE_KEY");
        scripts.env.put("TEMPLATE_KEY", "template-boot-secret");

        Scripts.Result result =
                call("log_boot_context").leaksNone("sk-ant-bootSecret", "ghp_bootSecret", "template-boot-secret");

        assertThat(result.stdout())
                .contains(
                        "env ANTHROPIC_API_KEY=set\n",
                        "env GH_TOKEN=set\n",
                        "env TEMPLATE_KEY=set\n",
                        "env OPENAI_API_KEY=unset\n",
                        "env GITEA_TOKEN=unset\n");
    }

    private Scripts.Result call(String function) throws Exception {
        return scripts.run(
                "", "/bin/bash", "-c", "source \"$1\" && " + function, "_", scripts.bin + "/molecule-entrypoint");
    }
}
