package dev.caod.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import io.quarkus.test.junit.QuarkusTest;

/** Inboxes end to end with demo agents in real tmux: stored first, typed in order when the receiver is ready. */
@QuarkusTest
class InboxTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    InboxService inbox;

    @Inject
    TerminalService terminals;

    private final List<String> sessions = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        sessions.forEach(s -> terminals.deleteSession(s));
    }

    private TerminalView[] team() {
        var created = terminals.createSession("agent", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        TerminalView boss = created.supervisor();
        TerminalView worker = terminals.createTerminal(boss.sessionId(), "agent", "", "", boss.id(), Map.of());
        for (TerminalView t : List.of(boss, worker)) {
            assertTrue(terminals.awaitReady(t.id(), WAIT).reached());
            assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.IDLE), WAIT).reached());
        }
        return new TerminalView[] { boss, worker };
    }

    @Test
    void messagesToAnIdleAgentAreTypedInOrderEachOnce() {
        TerminalView worker = team()[1];
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            InboxMessageView m = inbox.send(null, worker.id(), "note " + i);
            assertTrue(m.state() == MessageState.PENDING || m.state() == MessageState.DELIVERING, m.toString());
            ids.add(m.id());
        }
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> inbox.message(id).state() == MessageState.DELIVERED));
        await().atMost(WAIT).until(() -> terminals.output(worker.id(), TerminalService.OutputMode.FULL, 0).text()
                .contains("DEMO-ECHO: [message from a person or tool (over caod)] note 5"));
        String history = terminals.output(worker.id(), TerminalService.OutputMode.FULL, 0).text();
        int at = -1;
        for (int i = 1; i <= 5; i++) {
            String echo = "DEMO-ECHO: [message from a person or tool (over caod)] note " + i;
            int found = history.indexOf(echo);
            assertTrue(found > at, "note " + i + " typed once, after note " + (i - 1) + ":\n" + history);
            assertEquals(found, history.lastIndexOf(echo), "typed exactly once: note " + i);
            at = found;
        }
    }

    @Test
    void aHundredMessagesArriveInOrderEachOnce() {
        var created = terminals.createSession("fast", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        String receiver = created.supervisor().id();
        assertTrue(terminals.awaitStatus(receiver, Set.of(AgentStatus.IDLE), WAIT).reached());
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            ids.add(inbox.send(null, receiver, "msg-" + i + "-end").id());
        }
        await().atMost(Duration.ofMinutes(4)).until(() -> inbox.inbox(receiver, Set.of(MessageState.DELIVERED), 200)
                .size() == 100);
        await().atMost(WAIT).until(() -> terminals.output(receiver, TerminalService.OutputMode.FULL, 0).text()
                .contains("FAST: [message from a person or tool (over caod)] msg-100-end"));
        String history = terminals.output(receiver, TerminalService.OutputMode.FULL, 0).text();
        int at = -1;
        for (int i = 1; i <= 100; i++) {
            String echo = "FAST: [message from a person or tool (over caod)] msg-" + i + "-end";
            int found = history.indexOf(echo);
            assertTrue(found > at, "msg-" + i + " answered once, after msg-" + (i - 1));
            assertEquals(found, history.lastIndexOf(echo), "typed exactly once: msg-" + i);
            at = found;
        }
        assertTrue(ids.stream().allMatch(id -> inbox.message(id).state() == MessageState.DELIVERED));
    }

    @Test
    void aWorkersMessageGoesToItsCallerByDefaultNamingTheSender() {
        TerminalView[] t = team();
        InboxMessageView m = inbox.send(t[1].id(), null, "report: all done");
        assertEquals(t[0].id(), m.receiverId());
        await().atMost(WAIT).until(() -> inbox.message(m.id()).state() == MessageState.DELIVERED);
        assertTrue(terminals.awaitStatus(t[0].id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        assertEquals("DEMO-ECHO: [message from terminal " + t[1].id() + "] report: all done",
                terminals.output(t[0].id(), TerminalService.OutputMode.LAST, 0).text());
    }

    @Test
    void badMessagesAreRefusedAndPendingOnesFailWhenTheReceiverGoes() {
        TerminalView[] t = team();
        assertThrows(TerminalException.class, () -> inbox.send(t[0].id(), t[0].id(), "to myself"));
        TerminalException noReceiver = assertThrows(TerminalException.class, () -> inbox.send(t[0].id(), null, "x"));
        assertTrue(noReceiver.getMessage().contains("no default receiver"), noReceiver.getMessage());
        assertThrows(TerminalException.class, () -> inbox.send(null, t[1].id(), " "));
        assertEquals(TerminalException.Kind.NOT_FOUND,
                assertThrows(TerminalException.class, () -> inbox.send(null, "zzzzzzzz", "x")).kind());

        terminals.sendInput(t[1].id(), "slow", false, false); // busy for a long time: messages wait
        InboxMessageView waiting = inbox.send(null, t[1].id(), "you will not read this");
        assertEquals(MessageState.PENDING, inbox.message(waiting.id()).state());
        terminals.close(t[1].id());
        await().atMost(WAIT).until(() -> inbox.message(waiting.id()).state() == MessageState.FAILED);
        assertTrue(inbox.message(waiting.id()).failureReason().contains("exited"));
        assertEquals(TerminalException.Kind.PRECONDITION,
                assertThrows(TerminalException.class, () -> inbox.send(null, t[1].id(), "x")).kind());
    }
}
