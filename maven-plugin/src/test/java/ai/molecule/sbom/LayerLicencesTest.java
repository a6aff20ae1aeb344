package ai.molecule.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import ai.molecule.core.LayerCache;
import ai.molecule.testing.RecordingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licences as the packages state them in the layer: DEP-5 copyright files and wheel METADATA. */
class LayerLicencesTest {
    private static final String FORMAT = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n";

    /** jq's, shortened: the main licence, then others for some files, one with a continuation block. */
    private static final String JQ = FORMAT
            + "Upstream-Name: jq\nSource: https://github.com/jqlang/jq\n\n"
            + "Files: *\nCopyright: 2012 Stephen Dolan\nLicense: Expat\n\n"
            + "Files: docs/*\nCopyright: 2012 Stephen Dolan\nLicense: CC-BY-3.0\n\n"
            + "Files: src/decNumber/*\nCopyright: IBM\nLicense: ICU\n\n"
            + "Files: debian/*\nCopyright: 2013 Simon Elsbrock\nLicense: Expat\n\n"
            + "License: Expat\n Permission is hereby granted, free of charge, ...\n .\n THE SOFTWARE IS PROVIDED\n";

    @Test
    void dep5NamesMapToSpdxIds() {
        assertThat(DebianCopyright.licence(JQ)).contains("MIT AND CC-BY-3.0 AND ICU");
        assertThat(DebianCopyright.licence(FORMAT + "\nFiles: *\nCopyright: Larry\nLicense: GPL-1+ or Artistic\n"))
                .contains("GPL-1.0-or-later OR Artistic-1.0-Perl");
        assertThat(DebianCopyright.licence(
                        FORMAT + "\nFiles: *\nLicense: GPL-2+\n\nFiles: lib/*\nLicense: LGPL-2.1+ or BSD-3-clause\n"))
                .contains("GPL-2.0-or-later AND (LGPL-2.1-or-later OR BSD-3-Clause)");
        assertThat(DebianCopyright.expression("GPL-2+ or Artistic, and BSD-2-clause"))
                .contains("(GPL-2.0-or-later OR Artistic-1.0-Perl) AND BSD-2-Clause");
        assertThat(DebianCopyright.expression("GPL-3+ with Bison exception"))
                .as("SPDX lists Bison-exception-2.2, no Bison-exception")
                .contains("LicenseRef-GPL-3-plus-with-Bison-exception");
        assertThat(DebianCopyright.expression("BSD-3-clause and/or GPL-3+"))
                .contains("BSD-3-Clause OR GPL-3.0-or-later");
        assertThat(DebianCopyright.expression("BSD-3-clause-Cambridge with BINARY LIBRARY-LIKE PACKAGES exception"))
                .contains("LicenseRef-BSD-3-clause-Cambridge-with-BINARY-LIBRARY-LIKE-PACKAGES-exception");
        assertThat(DebianCopyright.expression("LGPL-2+ with libtool exception"))
                .contains("LGPL-2.0-or-later WITH Libtool-exception");
        assertThat(DebianCopyright.id("GPL-2")).contains("GPL-2.0-only");
        assertThat(DebianCopyright.id("GPLv3+")).contains("GPL-3.0-or-later");
        assertThat(DebianCopyright.id("GPL-3.0+")).contains("GPL-3.0-or-later");
        assertThat(DebianCopyright.id("LGPL-2.1")).contains("LGPL-2.1-only");
        assertThat(DebianCopyright.id("GFDL-NIV-1.3+")).contains("GFDL-1.3-no-invariants-or-later");
        assertThat(DebianCopyright.id("Apache-2")).contains("Apache-2.0");
        assertThat(DebianCopyright.id("zlib")).contains("Zlib");
        assertThat(DebianCopyright.id("curl")).contains("curl");
        assertThat(DebianCopyright.id("public-domain")).isEmpty();
        assertThat(DebianCopyright.id("BSD-3-clause~Google")).isEmpty();
        // SPDX deprecated it; a document naming it fails verification.
        assertThat(DebianCopyright.id("BSD-2-Clause-NetBSD")).isEmpty();
        assertThat(DebianCopyright.expression("BSD-2-clause-NetBSD")).contains("LicenseRef-BSD-2-clause-NetBSD");
    }

    @Test
    void aNameWithoutSpdxIdBecomesALicenceReference() {
        String copyright = FORMAT + "\nFiles: *\nLicense: GPL-2+\n\nFiles: tz/*\nLicense: public-domain\n\n"
                + "Files: third_party/*\nLicense: BSD-3-clause~Google or MIT\n";
        assertThat(DebianCopyright.licence(copyright))
                .contains("GPL-2.0-or-later AND LicenseRef-public-domain AND (LicenseRef-BSD-3-clause-Google OR MIT)");
        assertThat(Spdx.expression(DebianCopyright.licence(copyright).orElseThrow()))
                .isPresent();
    }

    @Test
    void aLicenceTextWhereTheNameBelongsLeavesTheLicenceAsDebianStatesIt() {
        String copyright = FORMAT + "\nFiles: *\nLicense: GPL-2+\n\nFiles: x.c\n"
                + "License: Permission to use, copy, modify, and distribute this software\n";
        assertThat(DebianCopyright.licence(copyright))
                .contains("GPL-2+ AND (Permission to use, copy, modify, and distribute this software)");
        assertThat(Spdx.expression(DebianCopyright.licence(copyright).orElseThrow()))
                .as("carried as a name, not as an SPDX expression")
                .isEmpty();
    }

    @Test
    void freeTextCopyrightFilesStateNoLicence() {
        assertThat(DebianCopyright.licence("This package was debianized by someone.\n\nLicense: GPL\n"))
                .isEmpty();
        assertThat(DebianCopyright.licence(FORMAT + "Upstream-Name: x\n")).isEmpty();
        assertThat(DebianCopyright.licence(FORMAT + "License: BSD-2-clause\n"))
                .as("the header's licence when no Files paragraph names one")
                .contains("BSD-2-Clause");
    }

    @Test
    void wheelMetadataStatesItsLicenceInOneOfThreeWays() {
        String header = "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.2\n";
        assertThat(PythonMetadata.parse(header + "License-Expression: MIT OR Apache-2.0\nLicense: ignored\n"))
                .contains(new PythonMetadata("Foo_Bar", "1.2", Optional.of("MIT OR Apache-2.0")));
        assertThat(PythonMetadata.parse(header + "License: apache-2.0\n")
                        .orElseThrow()
                        .licence())
                .contains("Apache-2.0");
        assertThat(PythonMetadata.parse(header + "License: BSD\n").orElseThrow().licence())
                .as("a short name, kept as stated")
                .contains("BSD");
        assertThat(PythonMetadata.parse(header + "License: Copyright (c) 2020 Someone\n"
                                + "        \n        Permission is hereby granted\n"
                                + "Classifier: License :: OSI Approved :: MIT License\n")
                        .orElseThrow()
                        .licence())
                .as("a licence text in License: the classifier instead")
                .contains("MIT");
        assertThat(PythonMetadata.parse(header + "Classifier: License :: OSI Approved :: BSD License\n")
                        .orElseThrow()
                        .licence())
                .as("BSD License could be any of three")
                .isEmpty();
        assertThat(PythonMetadata.parse(header + "License: UNKNOWN\n\nLicense: MIT\n")
                        .orElseThrow()
                        .licence())
                .as("the description after the header is not read")
                .isEmpty();
        assertThat(PythonMetadata.parse("Metadata-Version: 2.1\n")).isEmpty();
        assertThat(PythonMetadata.normalize("Foo_Bar.baz")).isEqualTo("foo-bar-baz");
    }

    @Test
    void aDebianLayerIsReadOnceAndLinkedDocDirectoriesTakeTheirTargetsLicence(@TempDir Path dir) throws Exception {
        LayerCache cache = new LayerCache(dir.resolve("cache"), new RecordingLog());
        LayerCache.Blob layer = layer(cache, tar -> {
            file(tar, "./usr/share/doc/jq/copyright", JQ);
            file(tar, "./usr/share/doc/gcc-12-base/copyright", FORMAT + "\nFiles: *\nLicense: GPL-3+\n");
            link(tar, "./usr/share/doc/libgcc-s1", "gcc-12-base");
            link(tar, "./usr/share/doc/libstdc++6", "/usr/share/doc/gcc-12-base/");
            file(tar, "./usr/share/doc/oldstyle/copyright", "Copyright 1999 Someone. GPL.\n");
            file(tar, "./usr/share/doc/jq/README", "License: GPL-2\n");
        });
        RecordingLog log = new RecordingLog();

        Map<String, String> licences = LayerLicences.debian(cache, layer, log);

        assertThat(licences)
                .containsExactly(
                        Map.entry("gcc-12-base", "GPL-3.0-or-later"),
                        Map.entry("jq", "MIT AND CC-BY-3.0 AND ICU"),
                        Map.entry("libgcc-s1", "GPL-3.0-or-later"),
                        Map.entry("libstdc++6", "GPL-3.0-or-later"));
        assertThat(log.infos).containsExactly("Read the licences of 4 Debian packages from their copyright files");

        RecordingLog again = new RecordingLog();
        assertThat(LayerLicences.debian(cache, layer, again)).isEqualTo(licences);
        assertThat(again.infos).as("the second time from the cache record").isEmpty();
        assertThat(cache.lookup("licences1-deb-" + layer.hex())).isPresent();

        Component jq = Component.deb("jq", "1.6-2.1", "amd64", "bookworm", "ab".repeat(32), "http://x/jq.deb");
        Component oldstyle = Component.deb("oldstyle", "1", "all", "bookworm", "cd".repeat(32), "http://x/o.deb");
        assertThat(LayerLicences.apply(cache, layer, List.of(jq, oldstyle), again))
                .extracting(Component::license)
                .containsExactly("MIT AND CC-BY-3.0 AND ICU", null);
    }

    @Test
    void aPipLayerAnswersByNormalizedNameAndVersion(@TempDir Path dir) throws Exception {
        LayerCache cache = new LayerCache(dir.resolve("cache"), new RecordingLog());
        LayerCache.Blob layer = layer(cache, tar -> {
            file(
                    tar,
                    "usr/local/lib/python3.11/dist-packages/PyYAML-6.0.1.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nLicense: MIT\n");
            file(
                    tar,
                    "usr/local/lib/python3.11/dist-packages/no_licence-1.0.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: no_licence\nVersion: 1.0\n");
        });

        Map<String, String> licences = LayerLicences.python(cache, layer);

        assertThat(licences).containsExactly(Map.entry(LayerLicences.python("pyyaml", "6.0.1"), "MIT"));
        assertThat(LayerLicences.python(cache, layer)).isEqualTo(licences);
        assertThat(LayerLicences.apply(
                                cache,
                                layer,
                                List.of(Component.pypi("PyYAML", "6.0.1", "ef".repeat(32), null)),
                                new RecordingLog())
                        .get(0)
                        .license())
                .isEqualTo("MIT");
    }

    private interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static LayerCache.Blob layer(LayerCache cache, Entries entries) throws IOException {
        return cache.storeBlob(out -> {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(tar);
            tar.finish();
        });
    }

    private static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
