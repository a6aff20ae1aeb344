package ai.molecule.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The plugin's version, from the {@code pom.properties} Maven packs into its jar; {@code dev} outside a jar. */
final class PluginVersion {
    private static final String RESOURCE = "/META-INF/maven/ai.molecule/molecule-maven-plugin/pom.properties";

    private PluginVersion() {}

    static String get() {
        try (InputStream in = PluginVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
