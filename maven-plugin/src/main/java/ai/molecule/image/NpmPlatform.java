package ai.molecule.image;

import java.util.Optional;

/**
 * The image's platform as npm matches it against a package's {@code os}, {@code cpu} and {@code
 * libc} fields to pick optional native packages — the image's, not the build machine's.
 *
 * @param os e.g. {@code linux}
 * @param cpu e.g. {@code x64}, {@code arm64}
 * @param libc {@code glibc} or {@code musl} on Linux; empty elsewhere
 */
public record NpmPlatform(String os, String cpu, String libc) {
    public static final NpmPlatform LINUX_X64 = new NpmPlatform("linux", "x64", "glibc");
    public static final NpmPlatform LINUX_ARM64 = new NpmPlatform("linux", "arm64", "glibc");

    public NpmPlatform {
        if (!os.matches("[a-z0-9]+") || !cpu.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("npm platform '" + os + "/" + cpu + "' is not an npm os/cpu pair");
        }
        if (os.equals("linux") != !libc.isEmpty() || !libc.isEmpty() && !libc.matches("glibc|musl")) {
            throw new IllegalArgumentException(
                    "npm libc '" + libc + "' for os " + os + ": Linux needs glibc or musl, other systems none");
        }
    }

    /** The Linux (glibc) platform of an image architecture (Debian's name, e.g. {@code amd64}); empty for one npm layers do not support. */
    public static Optional<NpmPlatform> forArchitecture(String architecture) {
        return switch (architecture) {
            case "amd64" -> Optional.of(LINUX_X64);
            case "arm64" -> Optional.of(LINUX_ARM64);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return os + "/" + cpu + (libc.isEmpty() ? "" : "/" + libc);
    }
}
