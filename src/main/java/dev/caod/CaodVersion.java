package dev.caod;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, readable without booting Quarkus (the client needs it too). */
public final class CaodVersion {

    private static final String VERSION = load();

    private CaodVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = CaodVersion.class.getResourceAsStream("/caod-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
