package dev.caod.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.caod.profile.ProfileParser;
import dev.caod.store.FlowRunEntity;
import dev.caod.terminal.TerminalException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** What FlowService (gRPC) and `caod flow` offer: flows as files, their state and their runs. */
@ApplicationScoped
public class FlowService {

    /** A flow file with what caod makes of it. */
    public record FlowView(FlowCatalog.Entry entry, boolean enabled, Optional<Instant> nextRun,
            Optional<FlowRunView> lastRun) {
    }

    private final FlowCatalog catalog;
    private final FlowScheduler scheduler;
    private final FlowRunner runner;

    public FlowService(FlowCatalog catalog, FlowScheduler scheduler, FlowRunner runner) {
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.runner = runner;
    }

    public List<FlowView> list(boolean includeInvalid) {
        return catalog.entries().stream().filter(e -> includeInvalid || e.valid()).map(this::view).toList();
    }

    public FlowView get(String name) {
        return view(entry(name));
    }

    public FlowParser.Parsed validate(String content, String fileName) {
        return FlowParser.parse(content, fileName == null || fileName.isBlank() ? "flow.md" : fileName);
    }

    /** Writes {@code <name>.md} into the user's flow folder (validated first) and reads it at once. */
    public FlowView put(String name, String content, boolean overwrite) {
        if (name == null || !ProfileParser.NAME.matcher(name).matches()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "name: `" + name + "` is not a flow name"
                    + " ([a-z0-9_-], at most 48, starting with a letter or digit)");
        }
        Path file = catalog.userFolder().resolve(name + ".md");
        FlowParser.Parsed parsed = FlowParser.parse(content == null ? "" : content, file.toString());
        if (!parsed.ok()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "content: the flow does not validate:\n"
                    + String.join("\n", parsed.problems().stream().map(Object::toString).toList()));
        }
        if (!parsed.flow().name().equals(name)) {
            throw new TerminalException(TerminalException.Kind.INVALID, "name: `" + name + "` differs from the"
                    + " file's front-matter name `" + parsed.flow().name() + "`");
        }
        if (!overwrite && catalog.byName(name).isPresent()) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "name: flow `" + name + "` exists"
                    + " already (" + catalog.byName(name).get().file() + "); pass overwrite to replace it");
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".put-", ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "cannot write " + file + ": "
                    + e.getMessage());
        }
        catalog.reload(file);
        return get(name);
    }

    /** Removes the flow's file; its runs stay in the history. */
    public void delete(String name) {
        FlowCatalog.Entry e = entry(name);
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ex) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "cannot delete " + e.file() + ": "
                    + ex.getMessage());
        }
        catalog.reload(e.file());
    }

    public FlowView setEnabled(String name, boolean enabled) {
        FlowCatalog.Entry e = entry(name);
        if (!e.valid()) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "flow `" + name + "` is invalid; fix"
                    + " its file first:\n" + e.error());
        }
        scheduler.setEnabled(name, enabled);
        return get(name);
    }

    /** Runs a flow now (a disabled one too); with {@code wait}, returns when the run has ended. */
    public FlowRunView run(String name, boolean wait) {
        FlowCatalog.Entry e = entry(name);
        if (!e.valid()) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "flow `" + name + "` is invalid:\n"
                    + e.error());
        }
        return wait ? runner.runNow(name, null, true) : runner.start(name, null, true);
    }

    public List<FlowRunView> runs(String flowName, int limit, long beforeId) {
        int max = limit <= 0 ? 50 : limit;
        return QuarkusTransaction.requiringNew().call(() -> {
            String where = "(?1 = '' or flowName = ?1) and (?2 = 0 or id < ?2) order by id desc";
            return FlowRunEntity.<FlowRunEntity>find(where, flowName == null ? "" : flowName, beforeId).page(0, max)
                    .list().stream().map(FlowRunView::of).toList();
        });
    }

    private FlowView view(FlowCatalog.Entry e) {
        if (!e.valid()) {
            return new FlowView(e, false, Optional.empty(), lastRun(e.name()));
        }
        boolean enabled = scheduler.enabled(e.flow());
        return new FlowView(e, enabled, scheduler.nextRun(e.flow()).map(t -> t.toInstant()), lastRun(e.name()));
    }

    private Optional<FlowRunView> lastRun(String name) {
        return runs(name, 1, 0).stream().findFirst();
    }

    private FlowCatalog.Entry entry(String name) {
        if (name == null || !ProfileParser.NAME.matcher(name).matches()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "name: `" + name + "` is not a flow name"
                    + " ([a-z0-9_-], at most 48, starting with a letter or digit)");
        }
        return catalog.byName(name).orElseThrow(() -> new TerminalException(TerminalException.Kind.NOT_FOUND,
                "no flow named `" + name + "` in " + catalog.folders() + "; `caod flow list --all` shows every file"));
    }
}
