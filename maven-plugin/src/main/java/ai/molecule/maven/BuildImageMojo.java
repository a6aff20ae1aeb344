package ai.molecule.maven;

import ai.molecule.build.BuildResult;
import ai.molecule.build.ImageBuilder;
import ai.molecule.build.Target;
import ai.molecule.config.ConfigurationProcessor;
import ai.molecule.core.MoleculeException;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the workspace image daemonless, as content-keyed layers on a base, bottom first: debian
 * (the packages of {@code molecule.lock}), npm (the agent CLI), pip (the runtime), workspace (the
 * standard assets), files ({@code src/main/image}, then each file set). The image goes to a
 * docker-save tar, into the local engine, or to a registry. Beside the build report it writes the
 * image's SBOMs, CycloneDX 1.6 and SPDX 2.3 JSON, and attaches them to the project (classifiers
 * {@code cyclonedx} and {@code spdx}), so {@code deploy} publishes them.
 */
@Mojo(name = "build-image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends AbstractImageMojo {

    /** Skips this goal. */
    @Parameter(property = "molecule.build.skip", defaultValue = "false")
    boolean skip;

    /** Name of the built image, {@code [registry/]repository[:tag]}; {@code :latest} when no tag. */
    @Parameter(property = "molecule.image", defaultValue = "${project.artifactId}:${project.version}")
    String image;

    /** Where the image goes: {@code tar} (no engine needed), {@code docker} or {@code registry}. */
    @Parameter(property = "molecule.target", defaultValue = "tar")
    String target;

    /** The docker-save tar the {@code tar} target writes. */
    @Parameter(property = "molecule.tarFile", defaultValue = "${project.build.directory}/molecule/image.tar")
    File tarFile;

    /**
     * More tags the {@code registry} target pushes the same manifest under, besides the one
     * {@code image} names (comma-separated with {@code -Dmolecule.tags}).
     */
    @Parameter(property = "molecule.tags")
    List<String> tags = new ArrayList<>();

    /**
     * Also tag the pushed image {@code runtime-<runtime.version>} when the project sets {@code
     * runtime.version}, so a runtime release's cascade can be found by tag.
     */
    @Parameter(property = "molecule.tagRuntime", defaultValue = "false")
    boolean tagRuntime;

    /** settings.xml server holding the registry credentials; default the image's registry host. */
    @Parameter(property = "molecule.registryServerId")
    String registryServerId;

    /**
     * A registry repository that shares the layer cache between machines, {@code host[:port]/name}
     * (as kaniko's {@code --cache-repo}): a layer missing from the local cache is pulled from there
     * instead of built, and each layer built is pushed there under its content key. A repository
     * that cannot be reached costs a warning, not the build.
     */
    @Parameter(property = "molecule.cacheRepository")
    String cacheRepository;

    /** settings.xml server holding the cache repository's credentials; default its registry host. */
    @Parameter(property = "molecule.cacheServerId")
    String cacheServerId;

    private final MavenProjectHelper projectHelper;

    @Inject
    public BuildImageMojo(SettingsDecrypter decrypter, MavenProjectHelper projectHelper) {
        super(decrypter);
        this.projectHelper = projectHelper;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping build-image (molecule.build.skip)");
            return;
        }
        try {
            ConfigurationProcessor configuration = configuration();
            List<String> allTags = new ArrayList<>(tags);
            String runtimeVersion = project.getProperties().getProperty("runtime.version", "");
            if (tagRuntime && !runtimeVersion.isBlank()) {
                allTags.add("runtime-" + runtimeVersion.trim());
            }
            Target destination = configuration.target(target, image, tarFile.toPath(), registryServerId, allTags);
            ImageBuilder builder = imageBuilder();
            if (cacheRepository != null && !cacheRepository.isBlank()) {
                builder.sharingLayersThrough(configuration.cacheRepository(cacheRepository, cacheServerId));
            }
            BuildResult result = builder.build(configuration, destination, outputDirectory.toPath());
            getLog().info("Build report: " + outputDirectory.toPath().resolve(ImageBuilder.REPORT_FILE));
            // deploy publishes the SBOMs beside the POM: <artifactId>-<version>-cyclonedx.json, -spdx.json.
            File cyclonedx = new File(outputDirectory, ImageBuilder.CYCLONEDX_FILE);
            File spdx = new File(outputDirectory, ImageBuilder.SPDX_FILE);
            getLog().info("SBOMs: " + cyclonedx + ", " + spdx);
            projectHelper.attachArtifact(project, "json", "cyclonedx", cyclonedx);
            projectHelper.attachArtifact(project, "json", "spdx", spdx);
            project.getProperties().setProperty("molecule.imageId", result.imageId());
        } catch (MoleculeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Image build failed: " + e, e);
        }
    }
}
