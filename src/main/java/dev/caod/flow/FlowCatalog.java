package dev.caod.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.daemon.DaemonConfig;
import dev.caod.profile.Problem;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The flow files of the watched folders, as parsed. Files are read at start and again whenever they change (after a
 * short quiet period, since editors write in steps); an invalid file is kept with its problems and never disturbs the
 * others, and two files naming the same flow are both reported rather than one silently winning.
 */
@ApplicationScoped
public class FlowCatalog {

    private static final Logger LOG = Logger.getLogger(FlowCatalog.class);

    /** One file in a watched folder. */
    public record Entry(Path file, FlowDefinition flow, List<Problem> problems) {

        public boolean valid() {
            return flow != null && problems.stream().noneMatch(Problem::error);
        }

        /** The flow's name, or the file's name when it has none that parses. */
        public String name() {
            return flow != null ? flow.name() : file.getFileName().toString().replaceFirst("\\.md$", "");
        }

        /** Every error, one per line: what a user reads for an invalid file. */
        public String error() {
            return String.join("\n", problems.stream().filter(Problem::error).map(Problem::toString).toList());
        }
    }

    private final DaemonConfig config;
    private final FlowSettings settings;
    private final Map<Path, Entry> byFile = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile WatchService watcher;

    public FlowCatalog(DaemonConfig config, FlowSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    void start(@Observes @Priority(50) StartupEvent start) throws IOException {
        for (Path folder : folders()) {
            if (folder.equals(userFolder())) {
                Files.createDirectories(folder);
            }
            rescan(folder);
        }
        watcher = FileSystems.getDefault().newWatchService();
        for (Path folder : folders()) {
            if (Files.isDirectory(folder)) {
                folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } else {
                LOG.warnf("flow folder %s does not exist; it is not watched (create it and restart caod)", folder);
            }
        }
        Thread.ofVirtual().name("flow-folders").start(this::watch);
        changed();
    }

    void stop(@Observes ShutdownEvent stop) throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** {@code <config>/flows}, where PutFlow writes. */
    public Path userFolder() {
        return config.configDir().resolve("flows");
    }

    public List<Path> folders() {
        Set<Path> all = new LinkedHashSet<>();
        all.add(userFolder());
        settings.folders().orElse(List.of()).stream().filter(f -> !f.isBlank())
                .map(f -> Path.of(f.startsWith("~/") ? System.getProperty("user.home") + f.substring(1) : f)
                        .toAbsolutePath().normalize())
                .forEach(all::add);
        return List.copyOf(all);
    }

    /** Called (on a background thread) after files were added, changed or removed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Every file, with duplicates resolved: of two valid files naming the same flow, the one whose path sorts first
     * keeps it and the other is reported invalid, naming both.
     */
    public List<Entry> entries() {
        List<Entry> sorted = byFile.values().stream().sorted(Comparator.comparing(Entry::file)).toList();
        Map<String, Path> owner = new HashMap<>();
        List<Entry> out = new ArrayList<>();
        for (Entry e : sorted) {
            if (e.valid() && owner.containsKey(e.flow().name())) {
                List<Problem> problems = new ArrayList<>(e.problems());
                problems.add(new Problem(e.file().toString(), 0, "name", "flow `" + e.flow().name()
                        + "` is already defined by " + owner.get(e.flow().name()) + "; rename one of them", true));
                out.add(new Entry(e.file(), e.flow(), List.copyOf(problems)));
            } else {
                if (e.valid()) {
                    owner.put(e.flow().name(), e.file());
                }
                out.add(e);
            }
        }
        return out;
    }

    public Optional<Entry> byName(String name) {
        return entries().stream().filter(e -> e.valid() && e.flow().name().equals(name)).findFirst()
                .or(() -> entries().stream().filter(e -> e.name().equals(name)).findFirst());
    }

    /** Reads one file again (or forgets it when it is gone) and tells the listeners. */
    public void reload(Path file) {
        read(file);
        changed();
    }

    private void rescan(Path folder) {
        byFile.keySet().removeIf(f -> f.getParent().equals(folder) && !Files.exists(f));
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(FlowCatalog::isFlowFile).forEach(this::read);
        } catch (IOException e) {
            LOG.warnf("cannot list flow folder %s: %s", folder, e.getMessage());
        }
    }

    private void read(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(f)) {
            byFile.remove(f);
            return;
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            FlowParser.Parsed parsed = FlowParser.parse(text, f.toString());
            byFile.put(f, new Entry(f, parsed.flow(), List.copyOf(parsed.problems())));
        } catch (IOException | RuntimeException e) {
            byFile.put(f, new Entry(f, null, List.of(new Problem(f.toString(), 0, "", "cannot be read: "
                    + e.getMessage(), true))));
        }
    }

    /** Waits for folder events; a burst of them (an editor saving) is read once, after the folder is quiet. */
    private void watch() {
        try {
            while (true) {
                WatchKey first = watcher.take();
                Set<Path> touched = new LinkedHashSet<>();
                Set<Path> overflowed = new LinkedHashSet<>();
                WatchKey key = first;
                while (key != null) {
                    Path folder = (Path) key.watchable();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            overflowed.add(folder);
                        } else if (event.context() instanceof Path name && isFlowFile(folder.resolve(name))) {
                            touched.add(folder.resolve(name));
                        }
                    }
                    key.reset();
                    key = watcher.poll(settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
                }
                overflowed.forEach(this::rescan);
                touched.forEach(this::read);
                if (!touched.isEmpty() || !overflowed.isEmpty()) {
                    changed();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // caod stops
        }
    }

    private void changed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "a flow listener failed");
            }
        }
    }

    /** Markdown files, not editors' temporary or backup files. */
    static boolean isFlowFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".md") && !name.startsWith(".") && !name.startsWith("#") && !name.endsWith("~");
    }
}
