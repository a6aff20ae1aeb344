package ai.molecule.debian;

import ai.molecule.image.DebianSpec;
import java.util.List;
import java.util.Map;

/**
 * What to resolve.
 *
 * @param packages {@code name} or {@code name=version}, as in {@code <packages>}
 * @param excludes names never installed, as in {@code <excludes>}
 * @param installed name → version of packages already in the base image (its dpkg status): they meet
 *     dependencies and are never installed again
 * @param includeRequired also install every {@code Essential: yes} or {@code Priority: required} package
 * @param preferred name → version taken instead of the candidate while the index still has it: what a
 *     re-lock keeps from the previous lock
 */
public record ResolutionRequest(
        List<String> packages,
        List<String> excludes,
        Map<String, String> installed,
        boolean includeRequired,
        Map<String, String> preferred) {

    public ResolutionRequest {
        packages = List.copyOf(packages);
        excludes = List.copyOf(excludes);
        installed = Map.copyOf(installed);
        preferred = Map.copyOf(preferred);
    }

    public ResolutionRequest(
            List<String> packages, List<String> excludes, Map<String, String> installed, boolean includeRequired) {
        this(packages, excludes, installed, includeRequired, Map.of());
    }

    public static ResolutionRequest of(DebianSpec spec, Map<String, String> installed, Map<String, String> preferred) {
        return new ResolutionRequest(spec.packages(), spec.excludes(), installed, spec.includeRequired(), preferred);
    }
}
