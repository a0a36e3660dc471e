package dev.caod.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.caod.daemon.DaemonConfig;

/**
 * The providers caod can drive and their rules. A user's {@code <config>/providers/<name>.yaml} replaces the built-in
 * manifest of that name and is re-read when it changes, so a marker can be fixed without a rebuild or restart. A
 * manifest with a {@code launch:} section under a new name adds a provider for a CLI caod has never heard of.
 */
@ApplicationScoped
public class ProviderRegistry {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Provider> providers;
    private final Path overrides;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ProviderRegistry(Instance<Provider> all, DaemonConfig config) {
        this.providers = all.stream().collect(Collectors.toUnmodifiableMap(Provider::name, Function.identity()));
        this.overrides = config.configDir().resolve("providers");
    }

    /** The built-in providers and those added by manifests in the user's providers folder. */
    public List<String> names() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(providers.keySet());
        names.addAll(manifestNames());
        return List.copyOf(names);
    }

    /** @throws UnknownProviderException naming the known providers */
    public Provider provider(String name) {
        Provider p = providers.get(name);
        if (p != null) {
            return p;
        }
        requireKnown(name);
        if (rules(name).launch.isEmpty()) {
            throw new UnknownProviderException(overrides.resolve(name + ".yaml") + " has no `launch:` section, and `"
                    + name + "` is not a built-in provider: add `launch:` (see docs/providers.md) to run this CLI");
        }
        return new ManifestProvider(name, () -> rules(name));
    }

    /** The provider's rules: the user's override when present and valid, else the built-in manifest. */
    public ProviderRules.Compiled rules(String name) {
        requireKnown(name);
        Path file = overrides.resolve(name + ".yaml");
        FileTime stamp = stamp(file);
        Cached cached = cache.get(name);
        if (cached != null && java.util.Objects.equals(cached.stamp, stamp)) {
            return cached.rules;
        }
        ProviderRules.Compiled rules = stamp != null ? load(file) : builtIn(name);
        if (providers.containsKey(name) && rules.launch.isPresent()) {
            throw new IllegalArgumentException(file + ": `" + name + "` is built in and launched by caod itself; remove"
                    + " its `launch:` section (or give the manifest a new name to define a new provider)");
        }
        cache.put(name, new Cached(stamp, rules));
        return rules;
    }

    private void requireKnown(String name) {
        if (!providers.containsKey(name) && !(name.matches("[a-z0-9][a-z0-9_-]{0,47}")
                && Files.isRegularFile(overrides.resolve(name + ".yaml")))) {
            throw new UnknownProviderException("unknown provider `" + name + "`; known: " + String.join(", ", names())
                    + " (a new CLI is added by a manifest in " + overrides + ", see docs/providers.md)");
        }
    }

    /** Manifest files in the user's folder that are not overrides of a built-in provider. */
    private List<String> manifestNames() {
        if (!Files.isDirectory(overrides)) {
            return List.of();
        }
        try (var files = Files.list(overrides)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length()))
                    .filter(n -> n.matches("[a-z0-9][a-z0-9_-]{0,47}") && !providers.containsKey(n)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static ProviderRules.Compiled load(Path file) {
        return ProviderRules.read(file);
    }

    private static ProviderRules.Compiled builtIn(String name) {
        String resource = "providers/" + name + ".yaml";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in manifest " + resource + " is missing from the build");
            }
            return YAML.readValue(in, ProviderRules.class).compile(resource);
        } catch (IOException e) {
            throw new IllegalStateException(resource + " is broken: " + e.getMessage(), e);
        }
    }

    private static FileTime stamp(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private record Cached(FileTime stamp, ProviderRules.Compiled rules) {
    }

    /** A provider name nobody registered. */
    public static class UnknownProviderException extends IllegalArgumentException {
        public UnknownProviderException(String message) {
            super(message);
        }
    }
}
