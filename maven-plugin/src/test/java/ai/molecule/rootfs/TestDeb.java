package ai.molecule.rootfs;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A tiny Debian package built by the test with the real {@code dpkg-deb --build}: a staging
 * directory with DEBIAN/control, maintainer scripts and the files, modes set with chmod.
 */
final class TestDeb {
    private final String name;
    private final Map<String, String> control = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, String> scripts = new LinkedHashMap<>();
    private final List<String> conffiles = new ArrayList<>();

    private interface Step {
        void apply(Path root) throws IOException;
    }

    private TestDeb(String name) {
        this.name = name;
        control.put("Package", name);
        control.put("Version", "1.0");
        control.put("Architecture", "amd64");
        control.put("Maintainer", "Molecule Tests <tests@molecule.invalid>");
        control.put("Description", "test package " + name + "\n built by a test.\n .\n Second paragraph.");
    }

    static TestDeb named(String name) {
        return new TestDeb(name);
    }

    TestDeb field(String field, String value) {
        control.put(field, value);
        return this;
    }

    TestDeb dir(String path, int mode) {
        steps.add(root -> {
            Path dir = Files.createDirectories(at(root, path));
            chmod(dir, mode);
        });
        return this;
    }

    TestDeb file(String path, String content, int mode) {
        steps.add(root -> {
            Path file = at(root, path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            chmod(file, mode);
        });
        return this;
    }

    TestDeb conffile(String path, String content) {
        conffiles.add(path);
        return file(path, content, 0644);
    }

    TestDeb symlink(String path, String target) {
        steps.add(root -> {
            Path link = at(root, path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        });
        return this;
    }

    TestDeb hardlink(String path, String existing) {
        steps.add(root -> {
            Path link = at(root, path);
            Files.createDirectories(link.getParent());
            Files.createLink(link, at(root, existing));
        });
        return this;
    }

    TestDeb script(String scriptName, String text) {
        scripts.put(scriptName, text);
        return this;
    }

    TestDeb postinst(String text) {
        return script("postinst", text);
    }

    /** Builds {@code <dir>/<name>.deb} with {@code dpkg-deb -Z<compression>} (xz, gzip, zstd or none). */
    Path build(Path dir, String compression) throws IOException {
        Path root = Files.createTempDirectory(dir, name + "-root-");
        chmod(root, 0755);
        for (Step step : steps) {
            step.apply(root);
        }
        Path debian = Files.createDirectories(root.resolve("DEBIAN"));
        chmod(debian, 0755);
        StringBuilder text = new StringBuilder();
        control.forEach(
                (field, value) -> text.append(field).append(": ").append(value).append('\n'));
        Files.writeString(debian.resolve("control"), text.toString());
        if (!conffiles.isEmpty()) {
            Files.writeString(debian.resolve("conffiles"), String.join("\n", conffiles) + "\n");
        }
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Path file = debian.resolve(script.getKey());
            Files.writeString(file, script.getValue());
            chmod(file, 0755);
        }
        Path deb = dir.resolve(name + ".deb");
        run(List.of("dpkg-deb", "--root-owner-group", "-Z" + compression, "--build", root.toString(), deb.toString()));
        return deb;
    }

    Path build(Path dir) throws IOException {
        return build(dir, "xz");
    }

    private static Path at(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    static void chmod(Path path, int mode) throws IOException {
        run(List.of("chmod", Integer.toOctalString(mode), path.toString()));
    }

    /** Runs a command; fails the test with its output unless it exits 0. */
    static String run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail(
                    "cannot run %s (is it installed? dpkg-deb comes with dpkg): %s", command.get(0), e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
        }
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                fail("`%s` failed: %s", String.join(" ", command), output.toString(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running %s", command);
        }
        return output.toString(StandardCharsets.UTF_8);
    }
}
