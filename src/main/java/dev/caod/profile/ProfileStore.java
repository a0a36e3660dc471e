package dev.caod.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.caod.daemon.DaemonConfig;
import dev.caod.provider.ProviderRegistry;

/**
 * Where profiles come from: the user's folder ({@code <config>/profiles/<name>.md}) first, then the built-ins shipped
 * in the artifact (the repository's {@code profiles/}). Files are read at each lookup, so an edit takes effect for
 * the next agent started, without a restart.
 */
@ApplicationScoped
public class ProfileStore {

    /** The built-in profiles (the repository's profiles/*.md; ProfileStoreTest keeps the two in step). */
    public static final List<String> BUILT_INS = List.of("code_supervisor", "developer", "reviewer", "architect",
            "security_reviewer", "performance_engineer", "test_engineer");

    private static final Logger LOG = Logger.getLogger(ProfileStore.class);

    private final Path userDir;
    private final ProviderRegistry providers;

    public ProfileStore(DaemonConfig config, ProviderRegistry providers) {
        this.userDir = config.configDir().resolve("profiles");
        this.providers = providers;
    }

    public Path userDir() {
        return userDir;
    }

    /** @throws ProfileNotFoundException when neither the user nor caod has it; @throws ProfileException when broken */
    public Profile get(String name) {
        checkName(name);
        Path user = userDir.resolve(name + ".md");
        if (Files.isRegularFile(user)) {
            return parseOrThrow(read(user), user.toString(), name, "user");
        }
        return builtIn(name).map(text -> parseOrThrow(text, "built-in profiles/" + name + ".md", name, "builtin"))
                .orElseThrow(() -> new ProfileNotFoundException("no profile named `" + name + "`: not in " + userDir
                        + " nor among the built-ins (" + String.join(", ", BUILT_INS) + "); `caod profile list` shows"
                        + " them all"));
    }

    /** Every usable profile, user ones shadowing built-ins; broken user files are skipped (and logged). */
    public List<Profile> list() {
        List<Profile> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (Files.isDirectory(userDir)) {
            try (Stream<Path> files = Files.list(userDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.md$", "");
                    ProfileParser.Parsed parsed = parse(read(f), f.toString(), name, "user");
                    if (parsed.ok()) {
                        out.add(parsed.profile());
                        seen.add(name);
                    } else {
                        LOG.warnf("profile %s is skipped: %s", f, parsed.problems());
                    }
                }
            } catch (IOException e) {
                LOG.warnf("cannot list %s: %s", userDir, e.getMessage());
            }
        }
        for (String name : BUILT_INS) {
            if (!seen.contains(name)) {
                out.add(get(name));
            }
        }
        return out;
    }

    public ProfileParser.Parsed validate(String content, String fileName) {
        return parse(content, fileName == null || fileName.isBlank() ? "profile.md" : fileName, null, "user");
    }

    /**
     * Validates and copies a profile into the user's folder as {@code <name>.md}.
     *
     * @throws ProfileException with the problems when it does not validate
     * @throws ProfileExistsException when the user has one of that name and {@code force} is false
     */
    public Profile install(String content, String fileName, boolean force) {
        ProfileParser.Parsed parsed = validate(content, fileName);
        if (!parsed.ok()) {
            throw new ProfileException(parsed.problems());
        }
        Path target = userDir.resolve(parsed.profile().name() + ".md");
        if (Files.exists(target) && !force) {
            throw new ProfileExistsException("a profile `" + parsed.profile().name() + "` exists already at " + target
                    + "; pass --force to replace it");
        }
        try {
            Files.createDirectories(userDir);
            Files.writeString(target, content);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return get(parsed.profile().name());
    }

    private ProfileParser.Parsed parse(String text, String file, String expectedName, String source) {
        return ProfileParser.parse(text, file, expectedName, Set.copyOf(providers.names()), source);
    }

    private Profile parseOrThrow(String text, String file, String expectedName, String source) {
        ProfileParser.Parsed parsed = parse(text, file, expectedName, source);
        if (!parsed.ok()) {
            throw new ProfileException(parsed.problems());
        }
        return parsed.profile();
    }

    private static void checkName(String name) {
        if (name == null || !ProfileParser.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile: `" + name + "` is not a profile name ([a-z0-9_-], at most 48;"
                    + " no paths)");
        }
    }

    private static Optional<String> builtIn(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("profiles/" + name + ".md")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ProfileException(List.of(new Problem(file.toString(), 0, "", "cannot be read: " + e.getMessage(),
                    true)));
        }
    }

    /** No profile of that name. */
    public static class ProfileNotFoundException extends RuntimeException {
        public ProfileNotFoundException(String message) {
            super(message);
        }
    }

    /** Install would overwrite a user profile. */
    public static class ProfileExistsException extends RuntimeException {
        public ProfileExistsException(String message) {
            super(message);
        }
    }
}
