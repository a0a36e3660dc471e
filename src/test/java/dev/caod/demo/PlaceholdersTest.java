package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code ${…}} expansion in replies and tool arguments. */
class PlaceholdersTest {

    private static final Function<String, String> ENV = Map.of("CAOD_CALLER_ID", "t-42")::get;

    private static Map<String, String> vars(String regex, String input) {
        Matcher m = Pattern.compile(regex).matcher(input);
        m.find();
        return Placeholders.varsOf(input, m);
    }

    @Test
    void inputGroupsEnvAndToolResult() {
        Map<String, String> vars = new java.util.HashMap<>(vars("review (?<target>\\S+) by (\\w+)",
                "please review a.java by bob"));
        vars.put(Placeholders.TOOL_RESULT, "ok!");
        assertEquals("[please review a.java by bob] a.java a.java bob t-42 ok!", Placeholders.expand(
                "[${input}] ${target} ${1} ${2} ${env.CAOD_CALLER_ID} ${tool.result}", vars, ENV));
    }

    @Test
    void unknownStaysUnsetIsEmpty() {
        Map<String, String> vars = vars("a(?<opt>b)?", "a");
        assertEquals("<> <${nope}> <>", Placeholders.expand("<${opt}> <${nope}> <${env.NOT_SET}>", vars, ENV));
    }

    @Test
    void valuesAreNotReExpandedAndDollarsSurvive() {
        Map<String, String> vars = Placeholders.varsOf("cost $5 ${input} \\1", null);
        assertEquals("echo: cost $5 ${input} \\1", Placeholders.expand("echo: ${input}", vars, ENV));
    }

    @Test
    void jsonArgumentsExpandStringsOnly() throws Exception {
        JsonNode args = new ObjectMapper().readTree(
                "{\"to\":\"${env.CAOD_CALLER_ID}\",\"n\":3,\"list\":[\"${input}\",true],\"${input}\":\"k\"}");
        JsonNode out = Placeholders.expand(args, Placeholders.varsOf("hi \"there\"", null), ENV);
        assertEquals("{\"to\":\"t-42\",\"n\":3,\"list\":[\"hi \\\"there\\\"\",true],\"${input}\":\"k\"}",
                out.toString());
        assertEquals("${env.CAOD_CALLER_ID}", args.get("to").asText(), "the script's arguments stay unchanged");
    }

    @Test
    void aWholeNumberPlaceholderBecomesANumberAndOnlyThen() throws Exception {
        JsonNode args = new ObjectMapper().readTree(
                "{\"timeout_seconds\":\"${input}\",\"text\":\"t ${input}\",\"word\":\"${1}\"}");
        JsonNode out = Placeholders.expand(args, vars("(\\w+)?", "30"), ENV);
        assertEquals("{\"timeout_seconds\":30,\"text\":\"t 30\",\"word\":30}", out.toString());
        JsonNode words = Placeholders.expand(args, vars("(\\w+)", "thirty"), ENV);
        assertEquals("{\"timeout_seconds\":\"thirty\",\"text\":\"t thirty\",\"word\":\"thirty\"}",
                words.toString());
    }
}
