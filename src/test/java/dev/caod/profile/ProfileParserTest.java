package dev.caod.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProfileParserTest {

    private static final Set<String> PROVIDERS = Set.of("claude_code", "codex", "demo");

    private static ProfileParser.Parsed parse(String text) {
        return ProfileParser.parse(text, "p.md", null, PROVIDERS, "user");
    }

    @Test
    void aCompleteProfile() {
        var parsed = parse("""
                ---
                name: reviewer
                description: "Reviews: correctness first"
                role: worker
                provider: codex
                model: gpt-test
                allowedTools: [Read, Grep, send_message]
                mcpServers:
                  docs: {command: python3, args: [srv.py, --flag], env: {TOKEN: x}}
                  web: {url: "http://127.0.0.1:9/mcp", headers: {Authorization: Bearer t}}
                claude_code:
                  effort: high
                ---
                You review code.

                Be exact.
                """);
        assertTrue(parsed.ok(), parsed.problems().toString());
        Profile p = parsed.profile();
        assertEquals("reviewer", p.name());
        assertEquals("Reviews: correctness first", p.description());
        assertEquals("codex", p.provider().orElseThrow());
        assertEquals("gpt-test", p.model().orElseThrow());
        assertEquals(List.of("Read", "Grep", "send_message"), p.allowedTools());
        assertEquals(2, p.mcpServers().size());
        assertEquals(List.of("srv.py", "--flag"), p.mcpServers().getFirst().args());
        assertTrue(p.mcpServers().get(1).isHttp());
        assertEquals("high", p.providerSettings().get("claude_code").get("effort"));
        assertEquals("You review code.\n\nBe exact.", p.prompt());
        assertTrue(parsed.problems().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no front matter         | hello                                               | 1 |          | starts with a line `---`
            unclosed front matter   | ---\\nname: a                                        | 1 |          | not closed
            bad YAML                | ---\\nname: [a\\n---\\nx                               | 2 |          | not valid YAML
            not a mapping           | ---\\n- a\\n---\\nx                                    | 2 |          | must be YAML fields
            missing name            | ---\\ndescription: d\\n---\\nx                         | 2 | name     | required
            bad name                | ---\\nname: ../etc\\n---\\nx                           | 2 | name     | not a valid name
            wrong type              | ---\\nname: a\\nallowedTools: Read\\n---\\nx           | 3 | allowedTools | expected a list
            unknown provider        | ---\\nname: a\\nprovider: vim\\n---\\nx                | 3 | provider | unknown provider `vim`; known: claude_code, codex, demo
            name as a list          | ---\\nname: [a, b]\\n---\\nx                           | 2 | name     | expected a single value
            server without command  | ---\\nname: a\\nmcpServers:\\n  s: {args: [x]}\\n---\\nx | 4 | mcpServers.s | either `command`
            reserved server name    | ---\\nname: a\\nmcpServers:\\n  caod: {command: x}\\n---\\nx | 4 | mcpServers.caod | caod's own server
            bad role                | ---\\nname: a\\nrole: Boss Man\\n---\\nx               | 3 | role     | supervisor
            """)
    void brokenProfilesNameTheLineAndTheField(String why, String text, int line, String field, String message) {
        var parsed = parse(text.replace("\\n", "\n"));
        assertFalse(parsed.ok(), why);
        Problem p = parsed.problems().stream().filter(Problem::error).findFirst().orElseThrow();
        assertEquals(line, p.line(), why + ": " + p);
        assertEquals(field == null ? "" : field, p.field(), why + ": " + p);
        assertTrue(p.message().contains(message), why + ": " + p);
        assertEquals("p.md", p.file());
    }

    @Test
    void unknownFieldsAreWarningsNotFailures() {
        var parsed = parse("---\nname: a\ncolour: blue\n---\nprompt\n");
        assertTrue(parsed.ok());
        Problem w = parsed.problems().getFirst();
        assertFalse(w.error());
        assertEquals("colour", w.field());
        assertEquals(3, w.line());
    }

    @Test
    void theNameMustMatchTheFileInAProfilesFolder() {
        var parsed = ProfileParser.parse("---\nname: b\n---\nx\n", "a.md", "a", PROVIDERS, "user");
        assertFalse(parsed.ok());
        assertTrue(parsed.problems().getFirst().message().contains("differs from the file name"));
    }
}
