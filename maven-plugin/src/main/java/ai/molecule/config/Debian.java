package ai.molecule.config;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The {@code <debian>} element: the OS packages of the image, resolved into {@code molecule.lock}. */
public class Debian {
    /** Debian codename: {@code bookworm} (oldstable) or {@code trixie} (stable). */
    String suite = "bookworm";

    /** Archive of the suite and its -updates; e.g. a corporate mirror or a snapshot.debian.org URL (with {@code allowExpiredMetadata}). */
    String archive = "http://deb.debian.org/debian/";

    /** Archive of the suite's -security. */
    String securityArchive = "http://deb.debian.org/debian-security/";

    /** Archive components. */
    List<String> components = new ArrayList<>(List.of("main"));

    /** Packages to install, {@code name} or {@code name=version}; their dependencies come along. */
    List<String> packages = new ArrayList<>();

    /** Packages never installed, even as dependencies (an alternative must then satisfy them). */
    List<String> excludes = new ArrayList<>();

    /** Add the Essential / Priority: required set a minimal Debian needs (leave on unless the base has it). */
    boolean includeRequired = true;

    /** Extra trusted OpenPGP keyrings for a mirror that signs with its own key; Debian's keys are built in. */
    List<File> keyrings = new ArrayList<>();

    /**
     * Accept an InRelease whose {@code Valid-Until} has passed, with a warning: for a frozen snapshot
     * mirror such as snapshot.debian.org, whose metadata is expired by design.
     */
    boolean allowExpiredMetadata;
}
