package ai.molecule.config;

import ai.molecule.image.PipLayer;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The {@code <pip>} element: Python packages installed into the image's Python as one layer. */
public class Pip {
    /** A requirements file; its lines come before {@code requirements}. */
    File requirementsFile;

    /** Requirement lines, e.g. {@code pyyaml==6.0.1}. */
    List<String> requirements = new ArrayList<>();

    /** Pins {@code runtimePackage} to this version (the reference's RUNTIME_VERSION); default {@code ${runtime.version}}. */
    String runtimeVersion;

    /** The distribution {@code runtimeVersion} pins. */
    String runtimePackage = PipLayer.DEFAULT_RUNTIME_PACKAGE;

    /** The primary index; default pip's (PyPI). */
    String indexUrl;

    /** Further indexes searched besides the primary one. */
    List<String> extraIndexUrls = new ArrayList<>();

    /** Local wheelhouse directories pip takes wheels from. */
    List<File> findLinks = new ArrayList<>();

    /** Use no index at all, only {@code findLinks}. */
    boolean noIndex;

    /** The image's Python, {@code major.minor}; default the Debian layer's python3.X, else 3.11. */
    String pythonVersion;

    /** settings.xml server whose username and password log in to {@code indexUrl}. */
    String serverId;
}
