package dev.caod.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.terminal.TerminalException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Flows end to end: real files in the watched folder, the real scheduler, demo agents in real tmux. Schedules use
 * {@code @every} so that runs come within seconds.
 */
@QuarkusTest
class FlowTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    FlowService flows;
    @Inject
    FlowCatalog catalog;
    @Inject
    dev.caod.event.EventBus events;
    @Inject
    dev.caod.terminal.TerminalService terminals;

    @AfterEach
    void removeFlows() throws IOException {
        try (Stream<Path> files = Files.list(catalog.userFolder())) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
        await().atMost(WAIT).until(() -> flows.list(true).isEmpty());
        await().atMost(WAIT).until(() -> flows.runs("", 500, 0).stream()
                .noneMatch(r -> r.outcome() == RunOutcome.RUNNING));
    }

    private Path write(String name, String fields, String prompt) throws IOException {
        Path file = catalog.userFolder().resolve(name + ".md");
        Path temp = catalog.userFolder().resolve("." + name + ".tmp");
        Files.writeString(temp, "---\nname: " + name + "\nagent_profile: agent\nprovider: demo\nworking_directory: "
                + CaodTestHome.HOME + "\n" + fields + "\n---\n" + prompt + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private Path script(String name, String body) throws IOException {
        Path file = catalog.userFolder().resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The oldest run that really ran (runs that came while it worked were skipped as overlaps). */
    private FlowRunView firstEndedRun(String flow) {
        await().atMost(WAIT).until(() -> flows.runs(flow, 50, 0).stream().anyMatch(r -> r.endedAt() != null
                && r.outcome() != RunOutcome.SKIPPED_OVERLAP));
        List<FlowRunView> runs = flows.runs(flow, 50, 0);
        return runs.stream().filter(r -> r.endedAt() != null && r.outcome() != RunOutcome.SKIPPED_OVERLAP)
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aDroppedFileRunsOnScheduleAndItsAnswerIsRecorded() throws Exception {
        List<dev.caod.api.v1.Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable watching = events.subscribe(seen::add);
        write("echo-flow", "schedule: \"@every 2s\"", "say hello from a flow");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name()
                .equals("echo-flow") && v.nextRun().isPresent()));
        FlowRunView run = firstEndedRun("echo-flow");
        assertEquals(RunOutcome.SUCCEEDED, run.outcome(), run.toString());
        assertEquals("DEMO-ECHO: say hello from a flow", run.answerExcerpt());
        assertFalse(run.manual());
        assertTrue(run.scheduledAt() != null && !run.sessionId().isEmpty(), run.toString());
        // the run's session goes once its agent has: the transcripts stay, nothing is left running
        await().atMost(WAIT).until(() -> terminals.session(run.sessionId(), false).closedAt() != null);
        watching.close();
        assertTrue(seen.stream().anyMatch(e -> e.hasFlowFile() && e.getFlowFile().getFlowName().equals("echo-flow")
                && e.getFlowFile().getState() == dev.caod.api.v1.FlowState.FLOW_STATE_ENABLED), "flow file event");
        assertTrue(seen.stream().anyMatch(e -> e.hasFlowRun() && e.getFlowRun().getRun().getId() == run.id()
                && e.getFlowRun().getRun().getOutcome() == dev.caod.api.v1.FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED),
                "flow run event");
    }

    @Test
    void changesRenamesAndRemovalsArePickedUpLive() throws Exception {
        Path file = write("live", "schedule: \"0 3 * * *\"", "first prompt");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name().equals("live")));
        write("live", "schedule: \"0 4 * * *\"", "second prompt");
        await().atMost(WAIT).until(() -> flows.get("live").entry().flow().promptTemplate().equals("second prompt"));
        assertEquals("0 4 * * *", flows.get("live").entry().flow().schedule());
        Files.move(file, catalog.userFolder().resolve("renamed.md"));
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().file().getFileName()
                .toString().equals("renamed.md")));
        assertEquals(1, flows.list(true).size(), "the old file is forgotten");
        Files.delete(catalog.userFolder().resolve("renamed.md"));
        await().atMost(WAIT).until(() -> flows.list(true).isEmpty());
    }

    @Test
    void aBrokenFileIsListedWithItsErrorAndDisturbsNoOtherFlow() throws Exception {
        write("good", "schedule: \"0 3 * * *\"", "fine");
        Path broken = catalog.userFolder().resolve("broken.md");
        Files.writeString(broken, "---\nname: broken\nschedule: \"61 * * * *\"\nagent_profile: agent\n---\nx\n");
        Files.writeString(catalog.userFolder().resolve("yaml.md"), "---\nname: [unclosed\n---\nx\n");
        write("dup", "schedule: \"0 3 * * *\"", "one");
        Files.writeString(catalog.userFolder().resolve("zz-dup.md"), "---\nname: dup\nschedule: \"0 3 * * *\"\n"
                + "agent_profile: agent\n---\ntwo\n");
        await().atMost(WAIT).until(() -> flows.list(true).size() == 5);
        FlowService.FlowView bad = flows.list(true).stream().filter(v -> v.entry().file().equals(broken)).findFirst()
                .orElseThrow();
        assertFalse(bad.entry().valid());
        assertTrue(bad.entry().error().contains("broken.md:3 [schedule]") && bad.entry().error().contains("minute"),
                bad.entry().error());
        assertTrue(flows.list(true).stream().anyMatch(v -> !v.entry().valid()
                && v.entry().error().contains("already defined by")), "the duplicate name is reported");
        assertEquals(2, flows.list(false).size(), "good and the first dup stay valid");
        assertEquals(TerminalException.Kind.PRECONDITION, assertThrows(TerminalException.class,
                () -> flows.run("broken", false)).kind());

        Files.writeString(broken, "---\nname: broken\nschedule: \"1 * * * *\"\nagent_profile: agent\n---\nx\n");
        await().atMost(WAIT).until(() -> flows.get("broken").entry().valid());
    }

    @Test
    void scriptsDecideAndFillThePromptAndEveryFailureIsRecorded() throws Exception {
        script("go.sh", "echo '{\"execute\": true, \"output\": {\"who\": \"the script\"}}'");
        write("scripted", "schedule: \"0 3 * * *\"\nscript: [go.sh]", "greetings from [[who]]");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name().equals("scripted")));
        FlowRunView run = flows.run("scripted", true);
        assertEquals(RunOutcome.SUCCEEDED, run.outcome(), run.toString());
        assertEquals("DEMO-ECHO: greetings from the script", run.answerExcerpt());
        assertTrue(run.manual());

        script("no.sh", "echo '{\"execute\": false}'");
        write("skipped", "schedule: \"0 3 * * *\"\nscript: [no.sh]", "never");
        script("fails.sh", "echo boom >&2; exit 3");
        write("failing", "schedule: \"0 3 * * *\"\nscript: [fails.sh]", "never");
        script("chatty.sh", "echo 'hello, not json'");
        write("chatty", "schedule: \"0 3 * * *\"\nscript: [chatty.sh]", "never");
        script("slow.sh", "sleep 30");
        write("sleepy", "schedule: \"0 3 * * *\"\nscript: [slow.sh]", "never");
        script("partial.sh", "echo '{\"execute\": true, \"output\": {}}'");
        write("missing", "schedule: \"0 3 * * *\"\nscript: [partial.sh]", "about [[topic]]");
        await().atMost(WAIT).until(() -> flows.list(false).size() == 6);

        assertEquals(RunOutcome.SKIPPED_BY_SCRIPT, flows.run("skipped", true).outcome());
        FlowRunView failed = flows.run("failing", true);
        assertEquals(RunOutcome.FAILED, failed.outcome());
        assertTrue(failed.error().contains("exited with status 3") && failed.error().contains("boom"), failed.error());
        FlowRunView chatty = flows.run("chatty", true);
        assertTrue(chatty.error().contains("JSON object") && chatty.error().contains("hello, not json"),
                chatty.error());
        FlowRunView sleepy = flows.run("sleepy", true);
        assertTrue(sleepy.error().contains("ran longer than"), sleepy.error());
        FlowRunView missing = flows.run("missing", true);
        assertTrue(missing.error().contains("[[topic]]"), missing.error());

        Path outside = Files.writeString(catalog.userFolder().resolve("outside.md"), "---\nname: outside\n"
                + "schedule: \"0 3 * * *\"\nagent_profile: agent\nscript: [../evil.sh]\n---\nx\n");
        await().atMost(WAIT).until(() -> flows.list(true).stream().anyMatch(v -> v.entry().file().equals(outside)));
        assertFalse(flows.list(true).stream().filter(v -> v.entry().file().equals(outside)).findFirst().orElseThrow()
                .entry().valid());
    }

    @Test
    void aFlowWithAnUnknownProfileFailsItsRunSayingSo() throws Exception {
        Path file = catalog.userFolder().resolve("orphan.md");
        Files.writeString(file, "---\nname: orphan\nschedule: \"0 3 * * *\"\nagent_profile: nobody_here\n"
                + "provider: demo\nworking_directory: " + CaodTestHome.HOME + "\n---\nx\n");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name().equals("orphan")));
        FlowRunView run = flows.run("orphan", true);
        assertEquals(RunOutcome.FAILED, run.outcome());
        assertTrue(run.error().contains("nobody_here"), run.error());
    }

    @Test
    void aRunWhilePreviousStillWorksIsSkippedAndRecorded() throws Exception {
        write("busy", "schedule: \"0 3 * * *\"", "slow");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name().equals("busy")));
        FlowRunView first = flows.run("busy", false);
        assertEquals(RunOutcome.RUNNING, first.outcome());
        FlowRunView second = flows.run("busy", false);
        assertEquals(RunOutcome.SKIPPED_OVERLAP, second.outcome());
        assertTrue(second.error().contains("still going"));
        flows.delete("busy"); // the running run ends failed or in time; the cleanup waits for it
    }

    @Test
    void disablingStopsTheScheduleAndIsRemembered() throws Exception {
        write("toggle", "schedule: \"0 3 * * *\"", "x");
        await().atMost(WAIT).until(() -> flows.list(false).stream().anyMatch(v -> v.entry().name().equals("toggle")));
        assertTrue(flows.get("toggle").nextRun().isPresent());
        FlowService.FlowView off = flows.setEnabled("toggle", false);
        assertFalse(off.enabled());
        assertEquals(Optional.empty(), off.nextRun());
        assertTrue(flows.setEnabled("toggle", true).nextRun().isPresent());
        assertEquals(TerminalException.Kind.NOT_FOUND, assertThrows(TerminalException.class,
                () -> flows.setEnabled("nobody", true)).kind());
    }
}
