package dev.caod.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Lookup order, install, and the built-ins: all shipped, all valid, in step with the repository's profiles/. */
@QuarkusTest
class ProfileStoreTest {

    @Inject
    ProfileStore store;

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(store.userDir().resolve("reviewer.md"));
        Files.deleteIfExists(store.userDir().resolve("my_agent.md"));
    }

    @Test
    void everyBuiltInShipsAndValidates() throws Exception {
        List<String> inRepo;
        try (Stream<Path> files = Files.list(Path.of("profiles"))) {
            inRepo = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md") && !n.equals("README.md"))
                    .map(n -> n.replace(".md", "")).sorted().toList();
        }
        assertEquals(inRepo, ProfileStore.BUILT_INS.stream().sorted().toList());
        for (String name : ProfileStore.BUILT_INS) {
            Profile p = store.get(name);
            assertEquals("builtin", p.source());
            assertTrue(p.prompt().length() > 200, name + " has a real role prompt");
            assertTrue(!p.description().isBlank(), name + " has a description");
        }
        assertTrue(store.get("code_supervisor").isSupervisor());
    }

    @Test
    void aUserProfileShadowsTheBuiltInOfTheSameName() throws Exception {
        Files.writeString(store.userDir().resolve("reviewer.md"), "---\nname: reviewer\ndescription: mine\n---\nMine.\n");
        assertEquals("mine", store.get("reviewer").description());
        assertEquals("user", store.list().stream().filter(p -> p.name().equals("reviewer")).findFirst().orElseThrow()
                .source());
        Files.delete(store.userDir().resolve("reviewer.md"));
        assertEquals("builtin", store.get("reviewer").source());
    }

    @Test
    void installValidatesAndRefusesToOverwriteWithoutForce() {
        String text = "---\nname: my_agent\ndescription: one\n---\nDo things.\n";
        assertEquals("user", store.install(text, "x.md", false).source());
        assertThrows(ProfileStore.ProfileExistsException.class, () -> store.install(text, "x.md", false));
        assertEquals("two", store.install(text.replace("one", "two"), "x.md", true).description());
        ProfileException broken = assertThrows(ProfileException.class,
                () -> store.install("---\nname: Bad Name\n---\nx\n", "bad.md", false));
        assertTrue(broken.getMessage().contains("bad.md:2"), broken.getMessage());
    }

    @Test
    void namesCannotBePaths() {
        assertThrows(IllegalArgumentException.class, () -> store.get("../../etc/passwd"));
        assertThrows(ProfileStore.ProfileNotFoundException.class, () -> store.get("nobody"));
    }
}
