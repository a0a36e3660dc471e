package dev.caod.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import io.quarkus.test.junit.QuarkusTest;

/** Built-in manifests, a user's override that wins and is re-read when it changes, and broken files named. */
@QuarkusTest
class ProviderRegistryTest {

    private static final Path OVERRIDE = CaodTestHome.paths().configDir().resolve("providers/codex.yaml");

    @Inject
    ProviderRegistry registry;

    @AfterEach
    void removeOverride() throws Exception {
        Files.deleteIfExists(OVERRIDE);
    }

    @Test
    void everyProviderHasAValidBuiltInManifest() {
        // every CLI `caod doctor` knows has a provider, and the demo agent
        assertEquals(java.util.stream.Stream.concat(AgentCli.all().stream().map(AgentCli::provider),
                java.util.stream.Stream.of("demo")).sorted().toList(), registry.names());
        registry.names().forEach(name -> assertEquals(name, registry.rules(name).raw.provider()));
    }

    @Test
    void aUserOverrideWinsAndIsReReadWhenItChanges() throws Exception {
        Files.createDirectories(OVERRIDE.getParent());
        Files.writeString(OVERRIDE, "provider: codex\nidle: ['^MY PROMPT']\nanswer: {start: '^A: '}\n");
        assertEquals("^MY PROMPT", registry.rules("codex").idle.getFirst().pattern());

        Files.writeString(OVERRIDE, "provider: codex\nidle: ['^OTHER']\nanswer: {start: '^A: '}\n");
        Files.setLastModifiedTime(OVERRIDE, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("^OTHER", registry.rules("codex").idle.getFirst().pattern());

        Files.delete(OVERRIDE);
        assertEquals("^› ", registry.rules("codex").idle.getFirst().pattern(), "back to the built-in manifest");
    }

    @Test
    void aBrokenOverrideNamesTheFileAndTheField() throws Exception {
        Files.createDirectories(OVERRIDE.getParent());
        Files.writeString(OVERRIDE, "provider: codex\nidle: ['(unclosed']\nanswer: {start: '^A: '}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.rules("codex"));
        assertTrue(e.getMessage().contains(OVERRIDE.toString()) && e.getMessage().contains("idle"), e.getMessage());
    }

    @Test
    void anUnknownProviderListsTheKnownOnes() {
        var e = assertThrows(ProviderRegistry.UnknownProviderException.class, () -> registry.provider("nope"));
        assertTrue(e.getMessage().contains("claude_code, codex, demo"), e.getMessage());
    }
}
