package dev.caod.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;

/** Which events a watcher wants: by kind, session and terminal (empty = any). */
public record EventFilter(Set<EventKind> kinds, String sessionId, String terminalId) implements Predicate<Event> {

    public static final EventFilter ALL = new EventFilter(Set.of(), "", "");

    @Override
    public boolean test(Event event) {
        return (kinds.isEmpty() || kinds.contains(event.getKind()))
                && (sessionId.isEmpty() || sessionId.equals(event.getSessionId()))
                && (terminalId.isEmpty() || terminalId.equals(event.getTerminalId()));
    }

    /** The replay query: the id bound first, then session, terminal and kinds when set. */
    String whereClause(String idCondition) {
        StringBuilder where = new StringBuilder(idCondition);
        int n = 2;
        if (!sessionId.isEmpty()) {
            where.append(" and sessionRef = ?").append(n++);
        }
        if (!terminalId.isEmpty()) {
            where.append(" and terminalRef = ?").append(n++);
        }
        if (!kinds.isEmpty()) {
            where.append(" and kind in ?").append(n);
        }
        return where.append(" order by id").toString();
    }

    Object[] parameters(long afterId) {
        List<Object> params = new ArrayList<>();
        params.add(afterId);
        if (!sessionId.isEmpty()) {
            params.add(sessionId);
        }
        if (!terminalId.isEmpty()) {
            params.add(terminalId);
        }
        if (!kinds.isEmpty()) {
            params.add(kinds.stream().map(EventBus::kindName).toList());
        }
        return params.toArray();
    }
}
