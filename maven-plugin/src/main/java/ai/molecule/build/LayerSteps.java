package ai.molecule.build;

import ai.molecule.image.ImageSpec;
import ai.molecule.image.LayerKind;
import java.util.ArrayList;
import java.util.List;

/** The layer steps of an image, bottom first, in {@link LayerKind} order. */
final class LayerSteps {
    private LayerSteps() {}

    static List<LayerStep> of(ImageSpec spec) {
        List<LayerStep> steps = new ArrayList<>();
        for (LayerKind kind : LayerKind.values()) {
            switch (kind) {
                case DEBIAN -> {
                    if (spec.osPackages() != null) {
                        steps.add(new DebianStep(spec));
                    }
                }
                case NPM -> {
                    if (spec.npm() != null) {
                        steps.add(new NpmStep(spec.npm(), spec.creationTime()));
                    }
                }
                case PIP -> {
                    if (spec.pip() != null) {
                        steps.add(new PipStep(spec.creationTime()));
                    }
                }
                case WORKSPACE -> {
                    if (spec.workspace()) {
                        steps.add(new FilesStep.Workspace(spec.creationTime()));
                    }
                }
                case FILES -> spec.layers().forEach(layer -> steps.add(new FilesStep(layer, spec.creationTime())));
            }
        }
        return steps;
    }
}
