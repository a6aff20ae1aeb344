package ai.molecule.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.build.DockerTarget;
import ai.molecule.build.RegistryAccess;
import ai.molecule.build.RegistryTarget;
import ai.molecule.build.TarTarget;
import ai.molecule.core.BuildLog;
import ai.molecule.core.LayerEntry;
import ai.molecule.core.LayerSpec;
import ai.molecule.image.Account;
import ai.molecule.image.BaseImage;
import ai.molecule.image.DebianSpec;
import ai.molecule.image.ImageSpec;
import ai.molecule.testing.RecordingLog;
import ai.molecule.workspace.WorkspaceAssets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration stage, one POM mistake at a time: each names its element and the fix. */
class ConfigurationProcessorTest {
    @TempDir
    Path project;

    private RawConfiguration.Builder raw;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(project.resolve("src/main/image/app"));
        Files.writeString(project.resolve("src/main/image/app/adapter.py"), "print('adapter')\n");
        raw = RawConfiguration.builder(project);
    }

    @Test
    void plainTemplateGivesItsFilesOnScratch() throws Exception {
        ImageSpec spec = spec();

        assertThat(spec.base()).isEqualTo(new BaseImage.Scratch());
        assertThat(spec.layers()).extracting(layer -> layer.name()).containsExactly("image-files");
        assertThat(spec.layers().get(0).entries())
                .extracting(LayerEntry::path)
                .containsExactly("/app", "/app/adapter.py");
        assertThat(spec.creationTime()).isEqualTo(Instant.EPOCH.plusSeconds(1));
        assertThat(spec.architecture()).isEqualTo("amd64");
    }

    @Test
    void unknownBaseNamesTheBaseElementAndTheForms() {
        assertThatThrownBy(() -> spec(raw.base("ftp://mirror/debian")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "<base>: unknown base 'ftp://mirror/debian'. Use scratch, tar://<path to a docker-save tar>,"
                                + " docker://<image in the local engine> or registry://<image reference>");
        assertThatThrownBy(() -> spec(raw.base("docker://Not A Name")))
                .hasMessageStartingWith("<base>: unknown base 'docker://Not A Name' is not an image reference");
    }

    @Test
    void basesOfEveryForm() throws Exception {
        Path tar = Files.writeString(project.resolve("base.tar"), "x");

        assertThat(spec(raw.base("tar://base.tar")).base()).isEqualTo(new BaseImage.TarFile(tar));
        assertThat(spec(raw.base("docker://debian:bookworm")).base())
                .isEqualTo(new BaseImage.DockerDaemon("debian:bookworm"));
        assertThat(spec(raw.base("127.0.0.1:5000/team/base:1")).base())
                .isEqualTo(new BaseImage.Registry("127.0.0.1:5000/team/base:1"));
    }

    @Test
    void missingBaseTarNamesTheBaseElement() {
        assertThatThrownBy(() -> spec(raw.base("tar://nope.tar")))
                .hasMessageStartingWith(
                        "<base>: base tar " + project.resolve("nope.tar") + " does not exist or is not readable");
    }

    @Test
    void portsAreNumbersWithAProtocol() throws Exception {
        assertThat(spec(raw.ports(List.of("8000", "53/udp"))).exposedPorts()).containsExactly("53/udp", "8000/tcp");
        for (String bad : List.of("abc", "0", "70000", "80/http", "")) {
            assertThatThrownBy(() -> spec(raw.ports(List.of(bad))))
                    .as(bad)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("<ports><port>: '" + bad + "' is not a port. Write a number from 1 to 65535,"
                            + " optionally with /tcp, /udp or /sctp, e.g. 8000 or 8000/tcp");
        }
    }

    @Test
    void volumesAndWorkingDirectoryAreAbsolutePaths() {
        assertThatThrownBy(() -> spec(raw.volumes(List.of("workspace"))))
                .hasMessage("<volumes><volume>: 'workspace' is not an absolute image path. Write it from the root,"
                        + " e.g. /workspace");
        assertThatThrownBy(() -> spec(raw.workingDirectory("app")))
                .hasMessageStartingWith("<workingDirectory>: 'app' is not an absolute image path");
    }

    @Test
    void userIsANameOrId() throws Exception {
        assertThat(spec(raw.user("1000:1000")).user()).isEqualTo("1000:1000");
        assertThatThrownBy(() -> spec(raw.user("Agent Smith"))).hasMessageStartingWith("<user>: 'Agent Smith'");
    }

    @Test
    void badTimestampNamesTheProperty() {
        assertThatThrownBy(() -> spec(raw.outputTimestamp("yesterday")))
                .hasMessage("<project.build.outputTimestamp>: 'yesterday' is not a timestamp. Write ISO-8601 such as"
                        + " 2026-01-01T00:00:00Z, or epoch seconds");
    }

    @Test
    void timestampAsIsoOrEpochSeconds() throws Exception {
        assertThat(spec(raw.outputTimestamp("2026-01-01T00:00:00Z")).creationTime())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(spec(raw.outputTimestamp("1767225600")).creationTime())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void badModeNamesTheElementThePathAndTheFix() {
        assertThatThrownBy(() -> spec(raw.permissions(List.of(permission("/usr/local/bin/*", "0x9", null)))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("<permissions>: mode '0x9' for /usr/local/bin/* is not an octal file mode."
                        + " Write three or four octal digits, e.g. 0755, 0440 or 4755 for setuid");
        assertThatThrownBy(() -> spec(raw.permissions(List.of(permission("/x", "10755", null)))))
                .hasMessageContaining("'10755'");
    }

    @Test
    void permissionOwnerMustBeNumericAndSomethingMustBeSet() {
        assertThatThrownBy(() -> spec(raw.permissions(List.of(permission("/home/agent/**", null, "agent:agent")))))
                .hasMessageStartingWith(
                        "<permissions>: owner 'agent:agent' for /home/agent/** is not a numeric uid:gid");
        assertThatThrownBy(() -> spec(raw.permissions(List.of(permission("/etc/x", " ", null)))))
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> spec(raw.permissions(List.of(permission("etc/*", "0644", null)))))
                .hasMessageContaining("is not an absolute image path");
    }

    @Test
    void permissionsApplyToTheTemplateFiles() throws Exception {
        ImageSpec spec = spec(raw.permissions(List.of(permission("/app/*.py", "4750", "1000:1000"))));

        LayerEntry adapter = spec.layers().get(0).entries().get(1);
        assertThat(adapter.mode()).isEqualTo(04750);
        assertThat(adapter.uid()).isEqualTo(1000);
    }

    @Test
    void missingImageDirectoryNamesTheElementAndPath() {
        Path missing = project.resolve("elsewhere");

        assertThatThrownBy(() -> spec(raw.imageDirectory(missing)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("<imageDirectory>: source directory " + missing + " does not exist. Create it, or point"
                        + " <imageDirectory> at the directory that holds the image files");
    }

    @Test
    void fileSetMistakesNameTheFileSet() throws Exception {
        FileSet noDirectory = new FileSet();
        assertThatThrownBy(() -> spec(raw.fileSets(List.of(noDirectory))))
                .hasMessage("<fileSets><fileSet #1><directory>: no directory given. Name the directory to add");

        FileSet relative = fileSet("extra");
        relative.into = "opt";
        assertThatThrownBy(() -> spec(raw.fileSets(List.of(relative))))
                .hasMessageStartingWith("<fileSets><fileSet #1><into>: target path 'opt' is not absolute");

        FileSet undeclared = fileSet("extra");
        undeclared.buildArgs = List.of("runtimeVersion");
        assertThatThrownBy(() -> spec(raw.fileSets(List.of(undeclared))))
                .hasMessageStartingWith(
                        "<fileSets><fileSet #1><buildArgs>: build argument 'runtimeVersion' is not declared");
    }

    @Test
    void fileSetsFollowTheImageDirectoryWithTheirBuildArguments() throws Exception {
        FileSet set = fileSet("extra");
        set.into = "/opt/extra";
        set.buildArgs = List.of("flavour");

        ImageSpec spec = spec(raw.fileSets(List.of(set)).buildArgs(Map.of("flavour", "mild")));

        assertThat(spec.layers()).extracting(layer -> layer.name()).containsExactly("image-files", "files-1-extra");
        assertThat(spec.layers().get(1).buildArgs()).containsEntry("flavour", "mild");
        assertThat(spec.layers().get(1).entries()).extracting(LayerEntry::path).contains("/opt/extra/run.sh");
    }

    @Test
    void workspaceNeedsDebian() {
        assertThatThrownBy(() -> spec(raw.workspace(true)))
                .hasMessageStartingWith("<workspace>: the workspace assets need the agent account")
                .hasMessageContaining(String.join(" ", WorkspaceAssets.PACKAGES));
    }

    @Test
    void accountsNeedDebian() {
        assertThatThrownBy(() -> spec(raw.accounts(List.of(account("agent", 1000)))))
                .hasMessageStartingWith(
                        "<accounts>: accounts, groups and CA certificates are written with the Debian" + " layer");
    }

    @Test
    void workspaceAddsAgentDockerAndTheEntrypoint() throws Exception {
        ImageSpec spec = spec(raw.workspace(true).debian(debian("bash")));

        assertThat(spec.workspace()).isTrue();
        assertThat(spec.osPackages().accounts()).containsExactly(WorkspaceAssets.AGENT);
        assertThat(spec.osPackages().groups()).containsExactly(WorkspaceAssets.DOCKER);
        assertThat(spec.entrypoint()).containsExactly(WorkspaceAssets.ENTRYPOINT);
        assertThat(spec.cmd()).containsExactly(WorkspaceAssets.DEFAULT_CMD);
    }

    @Test
    void theWorkspaceBringsItsPackagesAfterTheTemplatesOwn() throws Exception {
        DebianSpec debian = spec(raw.workspace(true).debian(debian("python3", "bash")))
                .osPackages()
                .debian();

        List<String> added = WorkspaceAssets.PACKAGES.stream()
                .filter(name -> !name.equals("bash"))
                .toList();
        assertThat(debian.addedByWorkspace()).isEqualTo(added);
        assertThat(debian.packages()).startsWith("python3", "bash").endsWith(added.toArray(String[]::new));
        assertThat(debian.packages()).doesNotHaveDuplicates();
    }

    @Test
    void aPackageTheTemplateNamesItselfIsNotAddedAgainNorIsAnotherDockerCli() throws Exception {
        DebianSpec debian = spec(raw.workspace(true).debian(debian("gosu=1.14-1+b10", "docker-cli", "sudo")))
                .osPackages()
                .debian();

        assertThat(debian.addedByWorkspace())
                .doesNotContain("gosu", "sudo", "docker.io", "docker-cli")
                .contains("bash", "git", "passwd");
        assertThat(debian.packages()).filteredOn(p -> p.startsWith("gosu")).containsExactly("gosu=1.14-1+b10");
    }

    @Test
    void aWorkspaceNeedsOnlyTheSuiteAndAnImageWithoutOneAddsNothing() throws Exception {
        assertThat(spec(raw.workspace(true).debian(debian()))
                        .osPackages()
                        .debian()
                        .packages())
                .isEqualTo(WorkspaceAssets.PACKAGES);
        assertThat(spec(raw.workspace(false).debian(debian("bash")))
                        .osPackages()
                        .debian()
                        .addedByWorkspace())
                .isEmpty();
    }

    @Test
    void declaredAgentWinsOverTheWorkspaceDefault() throws Exception {
        UnixAccount agent = account("agent", 1001);
        agent.gid = 1001;
        agent.home = "/srv/agent";

        ImageSpec spec = spec(raw.workspace(true).debian(debian("bash")).accounts(List.of(agent)));

        assertThat(spec.osPackages().accounts())
                .containsExactly(new Account("agent", 1001, 1001, "/srv/agent", "/bin/bash", List.of()));
        assertThat(spec.osPackages().groups()).containsExactly(WorkspaceAssets.DOCKER);
    }

    @Test
    void accountMistakesNameTheAccountAndField() {
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).accounts(List.of(account("Agent", 1000)))))
                .hasMessageStartingWith("<accounts><account #1>: an account needs a lower-case <name> and a numeric"
                        + " <uid> (got name 'Agent', uid 1000)");

        UnixAccount relativeHome = account("agent", 1000);
        relativeHome.home = "home/agent";
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).accounts(List.of(relativeHome))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("<accounts><account #1><home>: 'home/agent' is not an absolute image path");

        UnixAccount negative = account("agent", -1);
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).accounts(List.of(negative))))
                .hasMessageStartingWith("<accounts><account #1><uid>: account agent has uid -1");

        UnixAccount badGroup = account("agent", 1000);
        badGroup.groups = List.of("Docker Users");
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).accounts(List.of(badGroup))))
                .hasMessageStartingWith(
                        "<accounts><account #1><groups>: account agent lists group 'Docker Users', which is not a"
                                + " group name");
    }

    @Test
    void groupMistakesNameTheGroup() {
        UnixGroup group = new UnixGroup();
        group.name = "docker";
        group.gid = -5;

        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).groups(List.of(group))))
                .hasMessageStartingWith("<groups><group #1>: a group needs a lower-case <name> and a numeric <gid>"
                        + " from 0 (got name 'docker', gid -5)");
        group.gid = 999;
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).groups(List.of(new UnixGroup(), group))))
                .hasMessageStartingWith("<groups><group #1>:");
    }

    @Test
    void debianMistakes() throws Exception {
        assertThatThrownBy(() -> spec(raw.debian(debian())))
                .hasMessage("<debian><packages>: no packages are listed. List the packages to install, e.g."
                        + " <package>bash</package>");
        Debian ftp = debian("bash");
        ftp.archive = "ftp://ftp.debian.org/debian";
        assertThatThrownBy(() -> spec(raw.debian(ftp)))
                .hasMessageStartingWith("<debian><archive>: 'ftp://ftp.debian.org/debian' is not an http(s) URL");
        Debian keyring = debian("bash");
        keyring.keyrings = List.of(new File(project.resolve("nowhere.asc").toString()));
        assertThatThrownBy(() -> spec(raw.debian(keyring)))
                .hasMessageStartingWith(
                        "<debian><keyrings>: keyring " + project.resolve("nowhere.asc") + " does not exist");
        Path notAKey = Files.writeString(project.resolve("notes.txt"), "just notes\n");
        keyring.keyrings = List.of(notAKey.toFile());
        assertThatThrownBy(() -> spec(raw.debian(keyring)))
                .hasMessageStartingWith(
                        "<debian><keyrings>: keyring " + notAKey + " is not an OpenPGP public" + " keyring");
        assertThatThrownBy(() -> spec(raw.debian(debian("bash")).caCertificates(List.of(project.resolve("x.pem")))))
                .hasMessageStartingWith("<caCertificates><caCertificate>: CA certificate " + project.resolve("x.pem"));
    }

    @Test
    void debianBecomesTheSpecWithItsLockFile() throws Exception {
        Debian debian = debian("curl", "git=1:2.39.5-0+deb12u2");
        debian.suite = "trixie";
        debian.allowExpiredMetadata = true;

        ImageSpec spec = spec(raw.debian(debian).architecture("arm64"));

        assertThat(spec.osPackages().debian().packages()).containsExactly("curl", "git=1:2.39.5-0+deb12u2");
        assertThat(spec.osPackages().debian().suite()).isEqualTo("trixie");
        assertThat(spec.osPackages().debian().architecture()).isEqualTo("arm64");
        assertThat(spec.osPackages().debian().archive()).hasToString("http://deb.debian.org/debian/");
        assertThat(spec.osPackages().debian().allowExpiredMetadata()).isTrue();
        assertThat(spec.lockFile()).isEqualTo(project.resolve("molecule.lock"));
    }

    @Test
    void npmMistakes() {
        Npm none = new Npm();
        assertThatThrownBy(() -> spec(raw.npm(none))).hasMessageStartingWith("<npm><packages>: no packages are listed");
        Npm option = npm("--global-style");
        assertThatThrownBy(() -> spec(raw.npm(option)))
                .hasMessageStartingWith("<npm><packages>: package '--global-style' is empty or looks like an option");
        Npm ftp = npm("semver");
        ftp.registry = "ftp://registry";
        assertThatThrownBy(() -> spec(raw.npm(ftp)))
                .hasMessageStartingWith("<npm><registry>: 'ftp://registry' is not an http(s) URL");
        Npm login = npm("semver");
        login.serverId = "npm-mirror";
        assertThatThrownBy(() -> spec(raw.npm(login)))
                .hasMessageStartingWith("<npm><serverId>: settings.xml has no <server> with id 'npm-mirror'");
        assertThatThrownBy(() -> spec(raw.npm(npm("semver")).architecture("s390x")))
                .hasMessageStartingWith("<architecture>: npm layers support amd64 and arm64, not 's390x'");
    }

    @Test
    void npmTakesTheImagePlatformAndTheSettingsLogin() throws Exception {
        Npm npm = npm("@openai/codex@0.130.0");
        npm.serverId = "npm-mirror";

        ImageSpec spec =
                spec(raw.npm(npm).architecture("arm64"), id -> Optional.of(new Credentials.Login(id, null, "t0ken")));

        assertThat(spec.npm().specs()).containsExactly("@openai/codex@0.130.0");
        assertThat(spec.npm().platform().cpu()).isEqualTo("arm64");
        assertThat(spec.npm().credential().password()).isEqualTo("t0ken");
        assertThat(spec.npm().toString()).doesNotContain("t0ken");
    }

    @Test
    void pipLoginGoesIntoTheIndexUrlOnly() throws Exception {
        Pip pip = pip("requests");
        pip.indexUrl = "https://pypi.example.com/simple/";
        pip.serverId = "pypi";

        ImageSpec spec = spec(raw.pip(pip), id -> Optional.of(new Credentials.Login(id, "ci bot", "p@ss:word")));

        assertThat(spec.pip().indexUrl()).isEqualTo("https://ci%20bot:p%40ss%3Aword@pypi.example.com/simple/");
    }

    @Test
    void pipMistakes() {
        Pip noIndex = pip("requests");
        noIndex.serverId = "pypi";
        assertThatThrownBy(() -> spec(raw.pip(noIndex)))
                .hasMessageStartingWith("<pip><serverId>: server 'pypi' is named but no <indexUrl> is set");
        Pip missing = pip("requests");
        missing.indexUrl = "https://pypi.example.com/simple/";
        missing.serverId = "pypi";
        assertThatThrownBy(() -> spec(raw.pip(missing)))
                .hasMessageStartingWith("<pip><serverId>: settings.xml has no <server> with id 'pypi'");
        Pip inline = pip("requests");
        inline.indexUrl = "https://user:s3cret@pypi.example.com/simple/";
        inline.serverId = "pypi";
        assertThatThrownBy(() -> spec(raw.pip(inline), id -> Optional.of(new Credentials.Login(id, "u", "p"))))
                .hasMessageStartingWith("<pip><indexUrl>: 'https://***@pypi.example.com/simple/' is not an http(s) URL"
                        + " without credentials")
                .hasMessageNotContaining("s3cret");
        Pip wheelhouse = pip("requests");
        wheelhouse.findLinks = List.of(project.resolve("absent").toFile());
        assertThatThrownBy(() -> spec(raw.pip(wheelhouse)))
                .hasMessageStartingWith("<pip><findLinks>: wheelhouse directory " + project.resolve("absent"));
        assertThatThrownBy(() -> spec(raw.pip(new Pip())))
                .hasMessageStartingWith("<pip><requirements>: the pip layer has no requirements");
        Pip python = pip("requests");
        python.pythonVersion = "python3";
        assertThatThrownBy(() -> spec(raw.pip(python)))
                .hasMessageStartingWith("<pip><pythonVersion>: 'python3' is not a Python 3 major.minor version");
        assertThatThrownBy(() -> spec(raw.pip(pip("requests")).architecture("s390x")))
                .hasMessageStartingWith("<architecture>: pip layers support amd64 and arm64, not 's390x'");
    }

    @Test
    void runtimeVersionComesFromTheElementElseTheProperty() throws Exception {
        Pip pip = pip();

        assertThat(spec(raw.pip(pip).properties(Map.of("runtime.version", "1.0.1")))
                        .pip()
                        .requirementLines())
                .containsExactly("molecule-ai-workspace-runtime==1.0.1");
        pip.runtimeVersion = "2.0.0";
        assertThat(spec(raw.pip(pip)).pip().runtimeVersion()).isEqualTo("2.0.0");
        pip.runtimeVersion = " ";
        pip.requirements = List.of("molecule-ai-workspace-runtime>=1");
        assertThat(spec(raw.pip(pip).properties(Map.of("runtime.version", "1.0.1")))
                        .pip()
                        .runtimeVersion())
                .as("a blank element means unpinned")
                .isNull();
    }

    @Test
    void requirementsFileIsInlinedWithIncludesAndAbsoluteConstraints() throws Exception {
        Path sub = Files.createDirectories(project.resolve("reqs/sub"));
        Files.writeString(sub.resolve("base.txt"), "pyyaml==6.0.1\nmolecule-ai-workspace-runtime==0.9\n");
        Files.writeString(sub.resolve("pins.txt"), "pyyaml<7\n");
        Path top = Files.writeString(
                project.resolve("reqs/requirements.txt"),
                "# tools\n-r sub/base.txt  # shared\n--constraint=sub/pins.txt\nrequests==2.31.0  # http\n");
        Pip pip = pip("rich");
        pip.requirementsFile = top.toFile();
        pip.runtimeVersion = "1.0.1";

        assertThat(spec(raw.pip(pip)).pip().requirementLines())
                .containsExactly(
                        "pyyaml==6.0.1",
                        "-c " + sub.resolve("pins.txt"),
                        "requests==2.31.0",
                        "rich",
                        "molecule-ai-workspace-runtime==1.0.1");
    }

    @Test
    void requirementsFileMistakesNameFileAndLine() throws Exception {
        Pip pip = pip();
        pip.requirementsFile = project.resolve("absent.txt").toFile();
        assertThatThrownBy(() -> spec(raw.pip(pip)))
                .hasMessageStartingWith("<pip><requirementsFile>: requirements file " + project.resolve("absent.txt"));

        Path top = Files.writeString(project.resolve("requirements.txt"), "requests\n-r absent.txt\n");
        pip.requirementsFile = top.toFile();
        assertThatThrownBy(() -> spec(raw.pip(pip)))
                .hasMessageStartingWith(
                        "<pip><requirementsFile>: " + top + " line 2 names " + project.resolve("absent.txt"))
                .hasMessageContaining("relative to the file that names them");

        Files.writeString(project.resolve("a.txt"), "-r b.txt\n");
        Files.writeString(project.resolve("b.txt"), "-r a.txt\n");
        pip.requirementsFile = project.resolve("a.txt").toFile();
        assertThatThrownBy(() -> spec(raw.pip(pip)))
                .hasMessageContaining("b.txt line 1 includes " + project.resolve("a.txt") + " again, a cycle");
    }

    @Test
    void validatingReadsNoPipOrNpmInputsWhileLockingNeedsThem() throws Exception {
        Pip pip = pip("requests");
        pip.indexUrl = "https://pypi.example.com/simple/";
        pip.serverId = "not-in-settings";
        pip.findLinks = List.of(project.resolve("target/wheelhouse").toFile());
        ConfigurationProcessor processor = new ConfigurationProcessor(
                raw.workspace(true).pip(pip).debian(debian("bash")).build(), Credentials.NONE, BuildLog.SILENT);
        Path scratch = Files.createDirectories(project.resolve("target/validate-scratch"));

        assertThat(processor.templateLayers()).extracting(layer -> layer.name()).containsExactly("image-files");
        List<LayerSpec> validated = processor.validationLayers(scratch);
        assertThat(validated).extracting(layer -> layer.name()).containsExactly("workspace", "image-files");
        assertThat(validated.get(0).entries())
                .filteredOn(entry -> entry.type() == LayerEntry.Type.FILE)
                .isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.source()).startsWith(scratch))
                .extracting(LayerEntry::path)
                .contains("/usr/local/bin/molecule-entrypoint", "/etc/sudoers.d/molecule-agent");
        assertThatThrownBy(processor::lockSpec).hasMessageStartingWith("<pip><");
        assertThatThrownBy(processor::imageSpec).hasMessageStartingWith("<pip><");
    }

    @Test
    void targetsAndImageNames() throws Exception {
        ConfigurationProcessor processor = processor(Credentials.NONE);
        Path tar = project.resolve("target/image.tar");

        assertThat(processor.target("tar", "molecule/claude-code", tar, null))
                .isEqualTo(new TarTarget("molecule/claude-code:latest", tar));
        assertThat(processor.target("docker", "molecule/claude-code:1", tar, null))
                .isEqualTo(new DockerTarget("molecule/claude-code:1"));
        assertThat(((RegistryTarget)
                                processor.target("registry", "127.0.0.1:5000/m:1", tar, null, List.of("runtime-1.0.1")))
                        .tags())
                .containsExactly("runtime-1.0.1");
        assertThatThrownBy(() -> processor.target("registry", "/m:1", tar, null))
                .hasMessageStartingWith("<image>: '/m:1' names no registry. Set -Dmolecule.registry=");
        assertThatThrownBy(() -> processor.target("registry", "r/m:1", tar, null, List.of("-bad tag")))
                .hasMessage("<tags>: '-bad tag' is not an image tag. Use letters, digits, '_', '.' and '-' (128 at"
                        + " most, not starting with '.' or '-')");
        assertThatThrownBy(() -> processor.target("ftp", "x:1", tar, null))
                .hasMessage("<target>: unknown target 'ftp'. Use tar, docker or registry");
        assertThatThrownBy(() -> processor.target("tar", "Bad Name", tar, null))
                .hasMessageStartingWith("<image>: 'Bad Name' is not a valid image name");
        assertThatThrownBy(() -> processor.target("tar", "x@sha256:" + "0".repeat(64), tar, null))
                .hasMessageStartingWith("<image>:");
    }

    @Test
    void cacheRepositoryIsARegistryRepositoryWithoutTag() throws Exception {
        ConfigurationProcessor processor = processor(Credentials.NONE);
        assertThat(processor
                        .cacheRepository(" 127.0.0.1:5000/molecule/layer-cache ", null)
                        .repository())
                .isEqualTo("127.0.0.1:5000/molecule/layer-cache");
        assertThat(processor.cacheRepository("ghcr.io/team/cache", "ci-cache").repository())
                .isEqualTo("ghcr.io/team/cache");
        for (String bad : List.of(
                "molecule/cache",
                "127.0.0.1:5000/cache:1",
                "127.0.0.1:5000/cache@sha256:" + "0".repeat(64),
                "127.0.0.1:5000",
                "ghcr.io/Bad Name")) {
            assertThatThrownBy(() -> processor.cacheRepository(bad, null))
                    .as(bad)
                    .hasMessage("<cacheRepository>: '" + bad + "' is not a registry repository. Write it as"
                            + " host[:port]/name without a tag, e.g. registry.example.com/molecule/layer-cache;"
                            + " each layer is stored there under its content key as the tag");
        }
    }

    @Test
    void registryLoginComesFromTheServerNamedLikeTheHost() throws Exception {
        RecordingLog log = new RecordingLog();
        Credentials settings = id ->
                id.equals("127.0.0.1:5000") ? Optional.of(new Credentials.Login(id, "ci", "s3cret")) : Optional.empty();
        ConfigurationProcessor processor =
                new ConfigurationProcessor(raw.allowInsecureRegistries(true).build(), settings, log);

        RegistryTarget pushed = (RegistryTarget) processor.target("registry", "127.0.0.1:5000/team/t:1", null, null);
        assertThat(pushed.access().credential().username()).isEqualTo("ci");
        assertThat(pushed.access().allowInsecure()).isTrue();
        assertThat(pushed.access().toString()).doesNotContain("s3cret");

        RegistryTarget anonymous = (RegistryTarget) processor.target("registry", "ghcr.io/team/t:1", null, null);
        assertThat(anonymous.access().credential()).isNull();
        assertThat(log.infos)
                .contains("No <server> with id 'ghcr.io' in settings.xml; talking to it without credentials");

        ConfigurationProcessor fromRegistry = new ConfigurationProcessor(
                raw.base("127.0.0.1:5000/team/base:1").build(), settings, BuildLog.SILENT);
        assertThat(fromRegistry.baseAccess(fromRegistry.lockSpec()).credential().password())
                .isEqualTo("s3cret");
        assertThat(processor.baseAccess(processor.lockSpec())).isEqualTo(RegistryAccess.ANONYMOUS);
    }

    private ImageSpec spec() throws Exception {
        return spec(raw);
    }

    private ImageSpec spec(RawConfiguration.Builder configuration) throws Exception {
        return spec(configuration, Credentials.NONE);
    }

    private static ImageSpec spec(RawConfiguration.Builder configuration, Credentials credentials) throws Exception {
        return new ConfigurationProcessor(configuration.build(), credentials, BuildLog.SILENT).imageSpec();
    }

    private ConfigurationProcessor processor(Credentials credentials) {
        return new ConfigurationProcessor(raw.build(), credentials, BuildLog.SILENT);
    }

    private static Permission permission(String path, String mode, String owner) {
        Permission permission = new Permission();
        permission.path = path;
        permission.mode = mode;
        permission.owner = owner;
        return permission;
    }

    private FileSet fileSet(String name) throws Exception {
        Path directory = Files.createDirectories(project.resolve(name));
        Files.writeString(directory.resolve("run.sh"), "#!/bin/sh\n");
        FileSet set = new FileSet();
        set.directory = directory.toFile();
        return set;
    }

    private static UnixAccount account(String name, int uid) {
        UnixAccount account = new UnixAccount();
        account.name = name;
        account.uid = uid;
        return account;
    }

    private static Debian debian(String... packages) {
        Debian debian = new Debian();
        debian.packages = List.of(packages);
        return debian;
    }

    private static Npm npm(String... packages) {
        Npm npm = new Npm();
        npm.packages = List.of(packages);
        return npm;
    }

    private static Pip pip(String... requirements) {
        Pip pip = new Pip();
        pip.requirements = List.of(requirements);
        return pip;
    }
}
