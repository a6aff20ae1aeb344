package ai.molecule.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * What the python:3.11-slim based template images gave an agent and a Debian image does not by
 * itself: installing a Python package with pip and an npm package at run time, as the agent, into
 * its home. A template whose agent installs tools so mixes this into its conformance class
 * ({@code class MyConformanceIT extends WorkspaceConformanceTest implements RuntimeInstallers}).
 * Both installs are of packages made in the container, so no index or registry is needed.
 */
public interface RuntimeInstallers {
    /** Runs a command as the agent; {@link WorkspaceConformanceTest} provides it. */
    ExecResult agent(String... command);

    /** A wheel written in the container, installed with {@code pip install --user}, then imported. */
    String PIP_INSTALL = """
            set -e; d=$(mktemp -d); cd "$d"
            python3 - <<'PY'
            import base64, hashlib, zipfile
            files = {
                "molecule_parity.py": "VALUE = 'pip-parity-ok'\\n",
                "molecule_parity-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: molecule-parity\\nVersion: 1.0\\n",
                "molecule_parity-1.0.dist-info/WHEEL":
                    "Wheel-Version: 1.0\\nGenerator: molecule-conformance\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
            }
            record = []
            with zipfile.ZipFile("molecule_parity-1.0-py3-none-any.whl", "w") as wheel:
                for name, text in files.items():
                    data = text.encode()
                    wheel.writestr(name, data)
                    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
                record.append("molecule_parity-1.0.dist-info/RECORD,,")
                wheel.writestr("molecule_parity-1.0.dist-info/RECORD", "\\n".join(record) + "\\n")
            PY
            python3 -m pip install --user --no-index --no-cache-dir --quiet molecule_parity-1.0-py3-none-any.whl
            cd / && python3 -c 'import molecule_parity; print(molecule_parity.VALUE)'
            """;

    /** A package packed in the container with {@code npm pack}, installed under the agent's home, then run. */
    String NPM_INSTALL = """
            set -e; d=$(mktemp -d); mkdir -p "$d/pkg/bin"
            printf '{"name":"molecule-parity","version":"1.0.0","bin":{"molecule-parity":"bin/cli.js"}}' \\
                > "$d/pkg/package.json"
            printf '#!/usr/bin/env node\\nconsole.log("npm-parity-ok")\\n' > "$d/pkg/bin/cli.js"
            cd "$d" && npm pack ./pkg --silent > /dev/null
            npm install -g --prefix "$HOME/.npm-parity" --offline --no-audit --no-fund --silent \\
                "$d/molecule-parity-1.0.0.tgz"
            "$HOME/.npm-parity/bin/molecule-parity"
            """;

    @Test
    default void agentInstallsAPythonPackageWithPip() {
        ExecResult result = agent("bash", "-c", PIP_INSTALL);
        assertThat(result.getStdout() + result.getStderr())
                .as("pip install --user as agent must work as in the python:3.11-slim images (Debian's python3"
                        + " refuses it as an externally managed environment unless PIP_BREAK_SYSTEM_PACKAGES=1 is"
                        + " set; python3-pip must be installed)")
                .contains("pip-parity-ok");
    }

    @Test
    default void agentInstallsAnNpmPackage() {
        ExecResult result = agent("bash", "-c", NPM_INSTALL);
        assertThat(result.getStdout() + result.getStderr())
                .as("npm install as agent must work as in the images with NodeSource's or Debian's npm (the npm"
                        + " package must be installed)")
                .contains("npm-parity-ok");
    }
}
