package ai.molecule.config;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** A {@code <fileSet>} of {@code <fileSets>}: extra files added as a layer of their own. */
public class FileSet {
    /** Directory whose contents are added. */
    File directory;

    /** Image path the directory's contents land under; default {@code /}. */
    String into = "/";

    /** Globs relative to {@code directory} to include; default everything. */
    List<String> includes = new ArrayList<>();

    /** Globs relative to {@code directory} to leave out. */
    List<String> excludes = new ArrayList<>();

    /** Names of build arguments this layer depends on: their values join its cache key. */
    List<String> buildArgs = new ArrayList<>();
}
