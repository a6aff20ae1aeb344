package ai.molecule.npm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.image.NpmLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmUserConfigTest {
    @TempDir
    Path temp;

    @Test
    void hostNpmrcKeepsOnlyHowToReachTheRegistry() throws Exception {
        Path host = Files.writeString(temp.resolve("host-npmrc"), """
                registry=http://127.0.0.1:9/
                ignore-scripts=true
                strict-allow-scripts=true
                omit=optional
                cafile=/etc/ssl/corp.pem
                https-proxy=http://proxy:3128
                //npm.example.com/:_authToken=${NPM_TOKEN}
                """);

        Path npmrc = NpmUserConfig.write(temp, host, NpmLayer.of("semver@7.6.3"));

        assertThat(Files.readAllLines(npmrc))
                .containsExactly(
                        "cafile=/etc/ssl/corp.pem",
                        "https-proxy=http://proxy:3128",
                        "//npm.example.com/:_authToken=${NPM_TOKEN}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(npmrc)))
                .isEqualTo("rw-------");
        assertThat(temp.resolve("npmrc-global")).isEmptyFile();
    }

    @Test
    void layerLoginIsScopedToItsRegistry() throws Exception {
        NpmLayer basic = NpmLayer.of("x")
                .withRegistry("https://npm.example.com/repo/")
                .withCredential(new NpmLayer.Credential("ci", "s3cret"));
        NpmLayer token = NpmLayer.of("x")
                .withRegistry("https://npm.example.com/repo")
                .withCredential(new NpmLayer.Credential(null, "tok"));

        assertThat(Files.readAllLines(
                        NpmUserConfig.write(Files.createDirectories(temp.resolve("a")), temp.resolve("none"), basic)))
                .containsExactly(
                        "//npm.example.com/repo/:_auth=" + Base64.getEncoder().encodeToString("ci:s3cret".getBytes()));
        assertThat(Files.readAllLines(
                        NpmUserConfig.write(Files.createDirectories(temp.resolve("b")), temp.resolve("none"), token)))
                .containsExactly("//npm.example.com/repo/:_authToken=tok");
        assertThat(basic.credential().toString()).doesNotContain("s3cret");
    }

    @Test
    void onlyTransportVariablesReachNpm() {
        assertThat(List.of("npm_config_https_proxy", "NPM_CONFIG_CAFILE", "npm_config_strict_ssl"))
                .allMatch(NpmUserConfig::isTransport);
        assertThat(List.of("npm_config_ignore_scripts", "NPM_CONFIG_REGISTRY", "npm_config_omit"))
                .noneMatch(NpmUserConfig::isTransport);
        assertThat(NpmUserConfig.hostUserConfig(Map.of("NPM_CONFIG_USERCONFIG", "/x/npmrc")))
                .isEqualTo(Path.of("/x/npmrc"));
    }
}
