package dev.smlocal.server;

import java.io.InputStream;
import java.util.Properties;

/** The build's version, from the filtered {@code version.properties}. */
final class Version {
    static final String VERSION = load();

    private Version() {}

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (java.io.IOException e) {
            return "dev";
        }
    }
}
