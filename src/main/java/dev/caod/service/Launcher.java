package dev.caod.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the program the unit's ExecStart runs: the installation the user is running now, so the service runs the
 * same caod. In order:
 * <ol>
 * <li>{@code --exec PATH}, when given;</li>
 * <li>the {@code caod.launcher} system property (a launcher may set it to its own path);</li>
 * <li>{@code <root>/bin/caod} when this JVM runs {@code <root>/target/quarkus-app/quarkus-run.jar} (what
 * {@code bin/caod} starts): the launcher picks the JDK and keeps the JVM flags, so the unit needs neither;</li>
 * <li>the executable itself when this is a native image.</li>
 * </ol>
 * Anything else (an IDE, a test classpath) has no stable command to put in a unit: the user must name it.
 */
public final class Launcher {

    static final String PROPERTY = "caod.launcher";

    private Launcher() {
    }

    public static Path find(Path explicit) {
        return find(explicit, System::getProperty, ProcessHandle.current().info().command());
    }

    static Path find(Path explicit, UnaryOperator<String> properties, Optional<String> processCommand) {
        if (explicit != null) {
            return checked(explicit.toAbsolutePath().normalize(), "--exec");
        }
        String property = properties.apply(PROPERTY);
        if (property != null && !property.isBlank()) {
            return checked(Path.of(property).toAbsolutePath().normalize(), "-D" + PROPERTY);
        }
        String classPath = properties.apply("java.class.path");
        if (classPath != null && classPath.endsWith("quarkus-run.jar")) {
            Path jar = Path.of(classPath).toAbsolutePath().normalize();
            Path root = jar.getParent() == null || jar.getParent().getParent() == null ? null
                    : jar.getParent().getParent().getParent();
            Path launcher = root == null ? null : root.resolve("bin").resolve("caod");
            if (launcher != null && Files.isRegularFile(launcher) && Files.isExecutable(launcher)) {
                return launcher;
            }
        }
        if (properties.apply("org.graalvm.nativeimage.imagecode") != null && processCommand.isPresent()) {
            return checked(Path.of(processCommand.get()), "this native executable");
        }
        throw new ServiceException(ServiceException.Reason.FAILED, "cannot tell which caod the service should run"
                + " (this one is not started by bin/caod). Name it: `caod service install --exec /path/to/bin/caod`.");
    }

    private static Path checked(Path program, String source) {
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new ServiceException(ServiceException.Reason.FAILED, program + " (from " + source
                    + ") is not an executable file. Point --exec at caod's launcher, e.g. <checkout>/bin/caod.");
        }
        return program;
    }
}
