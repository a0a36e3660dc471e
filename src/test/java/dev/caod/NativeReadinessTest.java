package dev.caod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the build native-ready (docs/native.md) without GraalVM: a native image sees only what is registered, so
 * this test fails, naming the class or resource and the fix, when
 * <ul>
 * <li>a class Jackson binds by reflection lacks {@code @RegisterForReflection} — classes with Jackson annotations,
 * the target classes of {@code readValue}/{@code convertValue}/{@code treeToValue}, what the CLI prints for
 * {@code -o json} ({@code Json.print}) or hands to {@code writeValueAsString}, and the dev.caod types inside those;
 * third-party classes bound the same way (the MCP SDK's {@code McpSchema}) must be registered through
 * {@code targets};</li>
 * <li>a resource the code loads by name is not covered by {@code quarkus.native.resources.includes};</li>
 * <li>src/main/java uses reflection (Class.forName, getDeclaredMethod, setAccessible, Proxy …) outside
 * {@link #REFLECTION_ALLOWED};</li>
 * <li>a picocli command class is missing from the reflection config picocli-codegen generates.</li>
 * </ul>
 * Plain JUnit (no Quarkus boot): it indexes target/classes with Jandex and reads src/main/java as text. Each
 * checker is also run against fixtures with a known violation, so the test cannot pass by finding nothing.
 */
class NativeReadinessTest {

    static final Path MAIN_JAVA = Path.of("src/main/java");
    static final Path CLASSES = Path.of("target/classes");
    static final Path MAIN_RESOURCES = Path.of("src/main/resources");
    static final Path APPLICATION_PROPERTIES = MAIN_RESOURCES.resolve("application.properties");

    static final DotName REGISTER = DotName.createSimple(RegisterForReflection.class.getName());

    /**
     * Reflection in src/main/java that is known to be safe in a native image: file (relative to src/main/java) and
     * the matched construct, with the reason. Empty today: caod's own code does no reflection. An entry that no
     * longer matches anything fails the test, so the list stays true.
     */
    static final List<Allowed> REFLECTION_ALLOWED = List.of();

    /**
     * Third-party classes that caod hands to Jackson through a library: when src/main/java imports from the
     * package, the class and its nested classes must be registered with
     * {@code @RegisterForReflection(targets = X.class)} (nested classes follow, as ignoreNested defaults to false).
     */
    static final List<ThirdParty> THIRD_PARTY_BOUND = List.of(new ThirdParty("io.modelcontextprotocol.",
            "io.modelcontextprotocol.spec.McpSchema",
            "the MCP SDK reads and writes JSON-RPC messages as McpSchema's nested records with Jackson"
                    + " (McpSchema.deserializeJsonRpcMessage, the server handler's params and results); mcp-core"
                    + " ships no native-image metadata"));

    /**
     * Files that read {@code java.class.path} to start caod again as a JVM and have no native branch yet
     * (see docs/native.md, "Known gaps"). A file that gains the branch must leave this list.
     */
    static final Map<String, String> SELF_COMMAND_KNOWN_GAPS = Map.of();

    /** Calls whose argument Jackson serialises: (regex up to the opening parenthesis, argument index, -1 = last). */
    static final List<Sink> SINKS = List.of(
            new Sink("Json.print", "\\bJson\\s*\\.\\s*print\\s*\\(", 1, "printed by the CLI for -o json"),
            new Sink("writeValueAsString", "\\.\\s*writeValueAsString\\s*\\(", 0, "serialised by Jackson"),
            new Sink("writeValueAsBytes", "\\.\\s*writeValueAsBytes\\s*\\(", 0, "serialised by Jackson"),
            new Sink("writeValue", "\\.\\s*writeValue\\s*\\(", -1, "serialised by Jackson"),
            new Sink("valueToTree", "\\.\\s*valueToTree\\s*\\(", 0, "serialised by Jackson"),
            new Sink("convertValue", "\\.\\s*convertValue\\s*\\(", 0, "converted by Jackson"));

    /** Calls whose {@code X.class} arguments (or TypeReference type arguments) Jackson instantiates. */
    static final Pattern BINDING_CALL = Pattern.compile(
            "\\.\\s*(readValue|readValues|convertValue|treeToValue|readerFor|writerFor|forType|constructType)\\s*\\(");
    static final Pattern TYPE_REFERENCE = Pattern.compile("\\bnew\\s+(?:TypeReference|TypeRef)\\s*<");
    static final Pattern CLASS_LITERAL = Pattern.compile("\\b([A-Za-z_][\\w.]*)\\s*\\.\\s*class\\b");

    /** Sinks whose Object-typed argument is checked at their own call sites instead. */
    static final Map<String, String> DELEGATING_SINKS = Map.of("dev/caod/cli/Json.java",
            "prints whatever its callers pass; those are checked through the Json.print sink");

    // ------------------------------------------------------------------------------------------------ the tests

    @Test
    void jacksonBoundClassesAreRegistered() throws IOException {
        Index index = indexClasses(CLASSES);
        List<SourceFile> sources = sources(MAIN_JAVA);
        Binding binding = jacksonBound(index, sources);
        assertTrue(binding.bound().containsKey("dev.caod.provider.ProviderRules"),
                "the scan no longer finds ProviderRules (bound by readValue): the checker is broken");
        assertTrue(binding.sinkCalls() > 0, "no Json.print/writeValueAsString call found: the checker is broken");
        List<String> violations = new ArrayList<>(binding.problems());
        violations.addAll(unregistered(index, binding, sources, THIRD_PARTY_BOUND));
        assertTrue(violations.isEmpty(), report("Jackson binds these by reflection; a native image would not see"
                + " their constructors and accessors", violations));
    }

    @Test
    void resourcesLoadedByNameAreInTheNativeImage() throws IOException {
        List<SourceFile> sources = sources(MAIN_JAVA);
        Set<String> resources = new TreeSet<>(resources(CLASSES));
        resources.addAll(resources(MAIN_RESOURCES));
        Globs globs = Globs.of(APPLICATION_PROPERTIES);
        Resources found = resourceLoads(sources, resources, globs);
        assertTrue(found.calls() >= 4, "expected the resource loads of ProviderRegistry, ProfileStore, SchemaMigrator"
                + " and CaodVersion, found " + found.calls() + ": the checker is broken");
        assertTrue(found.problems().isEmpty(), report("resources read at run time but not in the native image",
                found.problems()));
    }

    @Test
    void noUnregisteredReflection() throws IOException {
        List<String> violations = reflection(sources(MAIN_JAVA), REFLECTION_ALLOWED);
        assertTrue(violations.isEmpty(), report("reflection that a native image resolves only if registered",
                violations));
    }

    @Test
    void picocliCommandsAreInTheGeneratedReflectionConfig() throws IOException {
        Index index = indexClasses(CLASSES);
        List<String> violations = picocli(index, generatedReflectConfig(CLASSES));
        assertTrue(violations.isEmpty(), report("picocli reads these by reflection", violations));
    }

    @Test
    void selfCommandsHaveANativeBranchOrAreKnownGaps() throws IOException {
        List<String> violations = selfCommands(sources(MAIN_JAVA), SELF_COMMAND_KNOWN_GAPS);
        assertTrue(violations.isEmpty(), report("starting caod again", violations));
    }

    // ------------------------------------------------------- self-checks: each checker sees a known violation

    /** Not registered, but carries a Jackson annotation. */
    record FixtureAnnotated(@JsonProperty("a") String a) {
    }

    /** Registered, with an unregistered component. */
    @RegisterForReflection
    record FixtureRegistered(@JsonProperty("b") String b, List<FixtureComponent> parts) {
    }

    record FixtureComponent(String c) {
    }

    /** The target of a readValue in the synthetic source. */
    record FixtureRead(String d) {
    }

    /** Printed through Json.print in the synthetic source. */
    record FixtureShown(String e) {
    }

    /** Mentioned only in a comment of the synthetic source. */
    record FixtureCommented(String f) {
    }

    static final String FIXTURE_SOURCE = """
            package dev.caod;

            import java.util.List;

            class NativeReadinessTest {
                FixtureShown shown;
                void f(List<FixtureShown> all) throws Exception {
                    Json.print(out, shown);
                    all.forEach(one -> Json.print(out, one));
                    var r = MAPPER.readValue(in, FixtureRead.class);
                    // MAPPER.readValue(in, FixtureCommented.class) in a comment is no call
                    String s = "MAPPER.readValue(in, FixtureCommented.class) in a string is no call either";
                    MAPPER.writeValueAsString(s);
                    Json.print(out, helper().thing());
                    InputStream a = loader.getResourceAsStream("fixture/" + name + ".txt");
                    InputStream b = NativeReadinessTest.class.getResourceAsStream("/top.properties");
                    Class<?> c = Class.forName("x.Y");
                    Object o = java.lang.reflect.Proxy.newProxyInstance(null, null, null);
                    // Class.forName("in.a.Comment") and setAccessible(true) in a comment are fine
                    String t = "Class.forName in a string too";
                    String cp = System.getProperty("java.class.path");
                }
            }
            """;

    @Test
    void jacksonCheckerFindsFixtureViolations() throws IOException {
        Indexer indexer = new Indexer();
        for (Class<?> c : List.of(FixtureAnnotated.class, FixtureRegistered.class, FixtureComponent.class,
                FixtureRead.class, FixtureShown.class, FixtureCommented.class)) {
            indexer.indexClass(c);
        }
        Index index = indexer.complete();
        List<SourceFile> sources = List.of(SourceFile.of("dev/caod/NativeReadinessTest.java", FIXTURE_SOURCE));
        Binding binding = jacksonBound(index, sources);
        List<String> problems = new ArrayList<>(binding.problems());
        problems.addAll(unregistered(index, binding, sources, List.of()));
        String all = String.join("\n", problems);
        for (String expected : List.of("$FixtureAnnotated ", "$FixtureComponent ", "$FixtureRead ", "$FixtureShown ",
                "helper().thing()")) {
            assertTrue(all.contains(expected), "expected a violation for " + expected + " in:\n" + all);
        }
        assertFalse(all.contains("$FixtureRegistered "), all);
        assertFalse(all.contains("FixtureCommented"), all);
        assertEquals(5, problems.size(), all);
    }

    @Test
    void resourceCheckerFindsFixtureViolations() {
        List<SourceFile> sources = List.of(SourceFile.of("dev/caod/NativeReadinessTest.java", FIXTURE_SOURCE));
        Set<String> resources = Set.of("fixture/a.txt", "fixture/b.txt", "top.properties", "other/c.txt");
        Resources missing = resourceLoads(sources, resources, Globs.parse("other/*.txt,top.properties"));
        assertEquals(2, missing.calls());
        assertEquals(2, missing.problems().size(), String.join("\n", missing.problems()));
        assertTrue(missing.problems().get(0).contains("fixture/a.txt"), missing.problems().get(0));
        assertTrue(resourceLoads(sources, resources, Globs.parse("fixture/*.txt,top.properties")).problems().isEmpty());
        assertTrue(resourceLoads(sources, resources, Globs.parse("**.txt,*.properties")).problems().isEmpty());
        assertFalse(Globs.parse("*.txt").covers("fixture/a.txt"), "* must not cross a slash");
        Resources none = resourceLoads(sources, Set.of("top.properties"), Globs.parse("top.properties"));
        assertTrue(none.problems().get(0).contains("no such resource"), none.problems().get(0));
    }

    @Test
    void reflectionCheckerFindsFixtureViolations() {
        List<SourceFile> sources = List.of(SourceFile.of("dev/caod/NativeReadinessTest.java", FIXTURE_SOURCE));
        List<String> problems = reflection(sources, List.of());
        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("Class.forName") && problems.get(0).contains(":17"), problems.get(0));
        assertTrue(problems.get(1).contains("Proxy"), problems.get(1));
        assertTrue(reflection(sources, List.of(new Allowed("dev/caod/NativeReadinessTest.java", "Class.forName", "t"),
                new Allowed("dev/caod/NativeReadinessTest.java", "java.lang.reflect.Proxy", "t"))).isEmpty());
        List<String> stale = reflection(sources, List.of(new Allowed("dev/caod/Gone.java", "setAccessible", "t"),
                new Allowed("dev/caod/NativeReadinessTest.java", "Class.forName", "t"),
                new Allowed("dev/caod/NativeReadinessTest.java", "java.lang.reflect.Proxy", "t")));
        assertEquals(1, stale.size(), String.join("\n", stale));
        assertTrue(stale.get(0).contains("Gone.java"), stale.get(0));
    }

    @Test
    void picocliCheckerFindsFixtureViolations() throws IOException {
        // a real command (a picocli-annotated fixture here would make picocli-codegen run on the test sources)
        Indexer indexer = new Indexer();
        try (InputStream in = NativeReadinessTest.class.getClassLoader()
                .getResourceAsStream("dev/caod/cli/CaodCli.class")) {
            indexer.index(in);
        }
        Index index = indexer.complete();
        assertEquals(1, picocli(index, Set.of("some.Other")).size());
        assertTrue(picocli(index, Set.of("dev.caod.cli.CaodCli")).isEmpty());
    }

    @Test
    void selfCommandCheckerFindsFixtureViolations() {
        List<SourceFile> sources = List.of(SourceFile.of("dev/caod/NativeReadinessTest.java", FIXTURE_SOURCE));
        assertEquals(1, selfCommands(sources, Map.of()).size());
        assertTrue(selfCommands(sources, Map.of("dev/caod/NativeReadinessTest.java", "t")).isEmpty());
        assertEquals(1, selfCommands(List.of(), Map.of("dev/caod/NativeReadinessTest.java", "t")).size(),
                "a known gap that is gone must be reported");
    }

    // ------------------------------------------------------------------------------------------- Jackson check

    record Sink(String name, String regex, int argument, String why) {
        Pattern pattern() {
            return Pattern.compile(regex);
        }
    }

    record ThirdParty(String packagePrefix, String className, String why) {
    }

    /** Bound classes with the first reason found; problems the scan itself ran into (an unknown type). */
    record Binding(Map<String, String> bound, List<String> problems, int sinkCalls) {
    }

    static Binding jacksonBound(Index index, List<SourceFile> sources) {
        Map<String, String> bound = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        index.getKnownClasses().forEach(c -> known.add(c.name().toString()));
        // 1. Jackson annotations on the class or its members
        for (ClassInfo c : sorted(index)) {
            for (AnnotationInstance a : c.annotations()) {
                String name = a.name().toString();
                if (name.startsWith("com.fasterxml.jackson.annotation.")
                        || name.startsWith("com.fasterxml.jackson.databind.annotation.")) {
                    bound.putIfAbsent(c.name().toString(), "carries @" + a.name().withoutPackagePrefix());
                    break;
                }
            }
        }
        int sinkCalls = 0;
        for (SourceFile file : sources) {
            String code = file.code();
            // 2. X.class given to readValue & co, and TypeReference<...> type arguments
            Matcher call = BINDING_CALL.matcher(code);
            while (call.find()) {
                String args = Java.balanced(code, call.end() - 1);
                Matcher literal = CLASS_LITERAL.matcher(args);
                while (literal.find()) {
                    String type = file.resolve(literal.group(1), known);
                    if (type != null) {
                        bound.putIfAbsent(type, call.group(1) + " target at " + file.at(call.start()));
                    }
                }
            }
            Matcher ref = TYPE_REFERENCE.matcher(code);
            while (ref.find()) {
                String typeArgs = Java.balancedAngle(code, ref.end() - 1);
                for (String name : Java.typeNames(typeArgs)) {
                    String type = file.resolve(name, known);
                    if (type != null) {
                        bound.putIfAbsent(type, "TypeReference argument at " + file.at(ref.start()));
                    }
                }
            }
            // 3. objects handed to Jackson to serialise
            for (Sink sink : SINKS) {
                Matcher m = sink.pattern().matcher(code);
                while (m.find()) {
                    sinkCalls++;
                    List<String> args = Java.split(Java.balanced(code, m.end() - 1));
                    if (args.isEmpty() || args.size() <= sink.argument()) {
                        continue;
                    }
                    String arg = args.get(sink.argument() < 0 ? args.size() - 1 : sink.argument()).strip();
                    String where = file.at(m.start());
                    String type = file.typeOf(arg, m.start());
                    if (type == null) {
                        problems.add("cannot tell the type of `" + arg + "` given to " + sink.name() + " at " + where
                                + ": give it a typed local variable so this test can check its registration");
                        continue;
                    }
                    for (String name : Java.typeNames(type)) {
                        String resolved = file.resolve(name, known);
                        if (resolved == null) {
                            problems.add("cannot resolve type `" + name + "` of `" + arg + "` given to " + sink.name()
                                    + " at " + where + ": import it, or give the value a concrete type");
                        } else if (resolved.equals("java.lang.Object") && !DELEGATING_SINKS.containsKey(file.path())) {
                            problems.add("`" + arg + "` given to " + sink.name() + " at " + where + " is declared as"
                                    + " Object: this test cannot see what Jackson binds; declare the real type");
                        } else if (!resolved.equals("java.lang.Object")) {
                            bound.putIfAbsent(resolved, sink.why() + " (" + sink.name() + " at " + where + ")");
                        }
                    }
                }
            }
        }
        // 4. what is inside a bound dev.caod class is bound too
        Deque<String> queue = new ArrayDeque<>(bound.keySet());
        while (!queue.isEmpty()) {
            String name = queue.pop();
            ClassInfo c = index.getClassByName(DotName.createSimple(name));
            if (c == null || kind(name) != Kind.OWN) {
                continue; // a protobuf message is printed by JsonFormat from its descriptor, not by Jackson
            }
            for (String inner : members(c)) {
                if (kind(inner) == Kind.OWN && !bound.containsKey(inner)) {
                    bound.put(inner, "inside " + name);
                    queue.add(inner);
                }
            }
        }
        return new Binding(bound, problems, sinkCalls);
    }

    /** The classes a bound class brings along: component, field and getter types, permitted subclasses. */
    static Set<String> members(ClassInfo c) {
        Set<String> out = new LinkedHashSet<>();
        if (c.isRecord()) {
            for (RecordComponentInfo r : c.recordComponents()) {
                typeNames(r.type(), out);
            }
        } else if (!c.isEnum()) {
            for (FieldInfo f : c.fields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.flags()) && !f.name().startsWith("this$")) {
                    typeNames(f.type(), out);
                }
            }
            for (MethodInfo m : c.methods()) {
                if (java.lang.reflect.Modifier.isPublic(m.flags()) && !java.lang.reflect.Modifier.isStatic(m.flags())
                        && m.parametersCount() == 0 && m.name().matches("(get|is)[A-Z].*")) {
                    typeNames(m.returnType(), out);
                }
            }
        }
        c.permittedSubclasses().forEach(p -> out.add(p.toString()));
        return out;
    }

    static void typeNames(Type t, Set<String> out) {
        switch (t.kind()) {
            case CLASS -> out.add(t.name().toString());
            case PARAMETERIZED_TYPE -> {
                out.add(t.name().toString());
                t.asParameterizedType().arguments().forEach(a -> typeNames(a, out));
            }
            case ARRAY -> typeNames(t.asArrayType().elementType(), out);
            case WILDCARD_TYPE -> typeNames(t.asWildcardType().extendsBound(), out);
            default -> {
            }
        }
    }

    /** Registration problems of the bound classes, and of the third-party classes used through a library. */
    static List<String> unregistered(Index index, Binding binding, List<SourceFile> sources,
            List<ThirdParty> thirdParty) {
        Registered registered = Registered.of(index);
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> e : binding.bound().entrySet()) {
            String name = e.getKey();
            switch (kind(name)) {
                case OWN -> {
                    if (!registered.direct().contains(name)) {
                        violations.add(name + " (" + e.getValue() + ") lacks @RegisterForReflection: annotate it with"
                                + " @io.quarkus.runtime.annotations.RegisterForReflection (nested classes count"
                                + " separately)");
                    }
                }
                case THIRD_PARTY -> {
                    if (!registered.covers(name)) {
                        violations.add(name + " (" + e.getValue() + ") is a library class bound by Jackson and not"
                                + " registered: add @RegisterForReflection(targets = " + outer(name) + ".class) to"
                                + " the dev.caod class that uses it");
                    }
                }
                case SAFE -> {
                }
            }
        }
        for (ThirdParty t : thirdParty) {
            boolean used = sources.stream().anyMatch(f -> f.imports().values().stream()
                    .anyMatch(i -> i.startsWith(t.packagePrefix())));
            if (used && !registered.withNested().contains(t.className())) {
                violations.add(t.className() + " and its nested classes are not registered, but " + t.why()
                        + ": add @RegisterForReflection(targets = " + simple(t.className()) + ".class) to the dev.caod"
                        + " class that uses it (ignoreNested stays false)");
            }
        }
        return violations;
    }

    enum Kind {
        OWN, THIRD_PARTY, SAFE
    }

    /** dev.caod classes need registering; the JDK, Jackson's trees and protobuf messages (JsonFormat) do not. */
    static Kind kind(String name) {
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("com.fasterxml.jackson.")
                || name.startsWith("com.google.protobuf.") || !name.contains(".")) {
            return Kind.SAFE;
        }
        if (isProtobuf(name)) {
            return Kind.SAFE;
        }
        return name.startsWith("dev.caod.") ? Kind.OWN : Kind.THIRD_PARTY;
    }

    static boolean isProtobuf(String name) {
        try {
            Class<?> c = Class.forName(name, false, NativeReadinessTest.class.getClassLoader());
            return com.google.protobuf.MessageOrBuilder.class.isAssignableFrom(c)
                    || com.google.protobuf.Internal.EnumLite.class.isAssignableFrom(c);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static String outer(String name) {
        int dollar = name.indexOf('$');
        return simple(dollar < 0 ? name : name.substring(0, dollar));
    }

    static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * What {@code @RegisterForReflection} registers: the annotated class itself (direct), or its targets and
     * classNames (direct, and with their nested classes unless ignoreNested = true).
     */
    record Registered(Set<String> direct, Set<String> withNested) {

        static Registered of(Index index) {
            Set<String> direct = new TreeSet<>();
            Set<String> withNested = new TreeSet<>();
            for (AnnotationInstance a : index.getAnnotations(REGISTER)) {
                if (a.target().kind() != org.jboss.jandex.AnnotationTarget.Kind.CLASS) {
                    continue;
                }
                AnnotationValue ignore = a.value("ignoreNested");
                boolean nested = ignore == null || !ignore.asBoolean();
                List<String> named = new ArrayList<>();
                if (a.value("targets") != null) {
                    for (Type t : a.value("targets").asClassArray()) {
                        named.add(t.name().toString());
                    }
                }
                if (a.value("classNames") != null) {
                    named.addAll(List.of(a.value("classNames").asStringArray()));
                }
                if (named.isEmpty()) {
                    named.add(a.target().asClass().name().toString());
                }
                direct.addAll(named);
                if (nested) {
                    withNested.addAll(named);
                }
            }
            return new Registered(direct, withNested);
        }

        boolean covers(String name) {
            if (direct.contains(name)) {
                return true;
            }
            for (String outer : withNested) {
                if (name.startsWith(outer + "$")) {
                    return true;
                }
            }
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------ resource check

    record Resources(int calls, List<String> problems) {
    }

    static final Pattern RESOURCE_CALL = Pattern.compile(
            "\\.\\s*(getResourceAsStream|getResource|getResources|getSystemResourceAsStream|getSystemResource)\\s*\\(");

    static Resources resourceLoads(List<SourceFile> sources, Set<String> resources, Globs globs) {
        Set<String> problems = new LinkedHashSet<>();
        int calls = 0;
        for (SourceFile file : sources) {
            String text = file.codeWithStrings();
            Matcher m = RESOURCE_CALL.matcher(text);
            while (m.find()) {
                calls++;
                String where = file.at(m.start());
                String before = text.substring(Math.max(0, m.start() - 80), m.start());
                boolean classRelative = before.matches("(?s).*(\\.class|getClass\\(\\))\\s*$");
                List<String> args = Java.split(Java.balanced(text, m.end() - 1));
                if (args.size() != 1) {
                    problems.add(where + ": cannot read the resource name of this " + m.group(1) + " call");
                    continue;
                }
                for (String expression : file.stringValues(args.get(0).strip(), m.start())) {
                    String regex = Java.concatenationRegex(expression);
                    if (regex == null) {
                        problems.add(where + ": cannot tell which resource `" + expression + "` names; load it with"
                                + " a literal folder and extension (\"folder/\" + name + \".ext\")");
                        continue;
                    }
                    if (regex.startsWith("\\Q/")) {
                        regex = "\\Q" + regex.substring(3);
                    } else if (classRelative) {
                        regex = Pattern.quote(file.packageName().replace('.', '/') + "/") + regex;
                    }
                    Pattern p = Pattern.compile(regex);
                    List<String> matching = resources.stream().filter(r -> p.matcher(r).matches()).sorted().toList();
                    if (matching.isEmpty()) {
                        problems.add(where + " loads `" + expression + "`, but no such resource is built"
                                + " (target/classes, src/main/resources): is the folder missing, or the name wrong?");
                    }
                    for (String r : matching) {
                        if (!globs.covers(r)) {
                            problems.add(r + " (loaded by " + where + ") is not in quarkus.native.resources.includes"
                                    + " of application.properties: add " + suggestion(r) + " there");
                        }
                    }
                }
            }
        }
        return new Resources(calls, List.copyOf(problems));
    }

    static String suggestion(String resource) {
        int slash = resource.lastIndexOf('/');
        int dot = resource.lastIndexOf('.');
        return slash >= 0 && dot > slash ? resource.substring(0, slash) + "/*" + resource.substring(dot) : resource;
    }

    /**
     * Quarkus' resource globs: {@code *} within a folder, {@code **} across folders, {@code ?} one character. (Quarkus
     * also knows {@code {a,b}} and {@code [ab]}, but caod's list does not use them and this test would not read them.)
     */
    record Globs(List<Pattern> includes, List<Pattern> excludes) {

        static Globs of(Path properties) throws IOException {
            Properties p = new Properties();
            try (StringReader in = new StringReader(Files.readString(properties))) {
                p.load(in);
            }
            return new Globs(patterns(p.getProperty("quarkus.native.resources.includes", "")),
                    patterns(p.getProperty("quarkus.native.resources.excludes", "")));
        }

        static Globs parse(String includes) {
            return new Globs(patterns(includes), List.of());
        }

        static List<Pattern> patterns(String list) {
            List<Pattern> out = new ArrayList<>();
            for (String glob : list.split(",")) {
                if (!glob.isBlank()) {
                    out.add(Pattern.compile(regex(glob.strip())));
                }
            }
            return out;
        }

        static String regex(String glob) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    out.append(".*");
                    i++;
                } else if (c == '*') {
                    out.append("[^/]*");
                } else if (c == '?') {
                    out.append("[^/]");
                } else if (c == '\\' && i + 1 < glob.length()) {
                    out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else {
                    out.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return out.toString();
        }

        boolean covers(String resource) {
            return includes.stream().anyMatch(p -> p.matcher(resource).matches())
                    && excludes.stream().noneMatch(p -> p.matcher(resource).matches());
        }
    }

    // ---------------------------------------------------------------------------------------- reflection check

    record Allowed(String file, String what, String why) {
    }

    static final Map<String, Pattern> REFLECTION = reflectionPatterns();

    static Map<String, Pattern> reflectionPatterns() {
        Map<String, Pattern> p = new LinkedHashMap<>();
        p.put("Class.forName", Pattern.compile("\\bClass\\s*\\.\\s*forName\\s*\\("));
        p.put("ClassLoader.loadClass", Pattern.compile("\\.\\s*loadClass\\s*\\("));
        p.put("getDeclaredMethod(s)/Field(s)/Constructor(s)",
                Pattern.compile("\\.\\s*getDeclared(?:Method|Field|Constructor)s?\\s*\\("));
        p.put("getMethod/getField/getConstructor", Pattern.compile("\\.\\s*get(?:Method|Field|Constructor)\\s*\\(\\s*[^)\\s]"));
        p.put("getMethods/getFields/getConstructors", Pattern.compile("\\.\\s*get(?:Methods|Fields|Constructors)\\s*\\(\\s*\\)"));
        p.put("getRecordComponents", Pattern.compile("\\.\\s*getRecordComponents\\s*\\("));
        p.put("newInstance", Pattern.compile("\\.\\s*newInstance\\s*\\("));
        p.put("setAccessible", Pattern.compile("\\bsetAccessible\\s*\\("));
        p.put("java.lang.reflect.Proxy", Pattern.compile("\\bjava\\s*\\.\\s*lang\\s*\\.\\s*reflect\\s*\\.\\s*Proxy\\b|"
                + "\\bProxy\\s*\\.\\s*newProxyInstance\\s*\\("));
        p.put("java.lang.reflect members", Pattern.compile(
                "\\bimport\\s+java\\.lang\\.reflect\\.(?:Method|Field|Constructor|InvocationHandler|RecordComponent|\\*)\\b"));
        p.put("MethodHandles lookup", Pattern.compile("\\bMethodHandles\\s*\\.\\s*(?:lookup|privateLookupIn|publicLookup)\\s*\\("));
        p.put("ServiceLoader", Pattern.compile("\\bServiceLoader\\s*\\.\\s*load"));
        return p;
    }

    static List<String> reflection(List<SourceFile> sources, List<Allowed> allowed) {
        List<String> violations = new ArrayList<>();
        Set<Allowed> used = new LinkedHashSet<>();
        for (SourceFile file : sources) {
            for (Map.Entry<String, Pattern> e : REFLECTION.entrySet()) {
                Matcher m = e.getValue().matcher(file.code());
                while (m.find()) {
                    String what = m.group().replaceAll("\\s+", " ").replaceAll("[(\\s]+$", "");
                    Allowed ok = allowed.stream().filter(a -> a.file().equals(file.path())
                            && (a.what().equals(e.getKey()) || what.contains(a.what()))).findFirst().orElse(null);
                    if (ok != null) {
                        used.add(ok);
                    } else {
                        violations.add(file.at(m.start()) + ": " + what + " (" + e.getKey() + "): a native image"
                                + " resolves this only for registered classes. Avoid it, or register what it reaches"
                                + " and add an entry to NativeReadinessTest.REFLECTION_ALLOWED saying why it is safe");
                    }
                }
            }
        }
        for (Allowed a : allowed) {
            if (!used.contains(a)) {
                violations.add("REFLECTION_ALLOWED entry " + a.file() + " / " + a.what() + " matches nothing any more:"
                        + " remove it");
            }
        }
        return violations;
    }

    // ------------------------------------------------------------------------------------------ picocli check

    static List<String> picocli(Index index, Set<String> generated) {
        List<String> violations = new ArrayList<>();
        for (ClassInfo c : sorted(index)) {
            boolean annotated = c.annotations().stream()
                    .anyMatch(a -> a.name().toString().startsWith("picocli.CommandLine$"));
            if (annotated && !generated.contains(c.name().toString())) {
                violations.add(c.name() + " carries picocli annotations but is not in the reflect-config.json that"
                        + " picocli-codegen writes (META-INF/native-image/picocli-generated): is the annotation"
                        + " processor still configured in the pom's maven-compiler-plugin?");
            }
        }
        return violations;
    }

    static Set<String> generatedReflectConfig(Path classes) throws IOException {
        Path dir = classes.resolve("META-INF/native-image/picocli-generated");
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        Pattern name = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("reflect-config.json")).toList()) {
                Matcher m = name.matcher(Files.readString(f));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    // ------------------------------------------------------------------------------------- self-command check

    static List<String> selfCommands(List<SourceFile> sources, Map<String, String> knownGaps) {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (SourceFile file : sources) {
            String text = file.codeWithStrings();
            if (text.contains("\"java.class.path\"") && !text.contains("org.graalvm.nativeimage.imagecode")
                    && !text.contains("ImageInfo")) {
                seen.add(file.path());
                if (!knownGaps.containsKey(file.path())) {
                    violations.add(file.path() + " reads java.class.path (to start caod again as a JVM?) with no"
                            + " native branch: a native image has no class path. Check the system property"
                            + " org.graalvm.nativeimage.imagecode and run the executable itself, as"
                            + " dev.caod.service.Launcher does");
                }
            }
        }
        for (String gap : knownGaps.keySet()) {
            if (!seen.contains(gap)) {
                violations.add("SELF_COMMAND_KNOWN_GAPS lists " + gap + ", which no longer reads java.class.path"
                        + " without a native branch: remove the entry and the known gap in docs/native.md");
            }
        }
        return violations;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String report(String title, List<String> violations) {
        return title + " (see docs/native.md):\n  - " + String.join("\n  - ", violations);
    }

    static List<ClassInfo> sorted(Index index) {
        List<ClassInfo> out = new ArrayList<>(index.getKnownClasses());
        out.sort((a, b) -> a.name().toString().compareTo(b.name().toString()));
        return out;
    }

    static Index indexClasses(Path classes) throws IOException {
        assertTrue(Files.isDirectory(classes.resolve("dev/caod")), classes.toAbsolutePath() + " has no compiled"
                + " classes: run the test from the project folder after compiling");
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }

    static List<String> resources(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith("META-INF/")).sorted().toList();
        }
    }

    static List<SourceFile> sources(Path root) throws IOException {
        assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " not found: run the test from the project folder");
        try (Stream<Path> files = Files.walk(root)) {
            List<SourceFile> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.add(SourceFile.of(root.relativize(f).toString().replace('\\', '/'), Files.readString(f)));
            }
            return out;
        }
    }

    /**
     * One Java source file: its text with comments blanked ({@link #codeWithStrings}) and with string contents
     * blanked too ({@link #code}); both keep every character's position, so line numbers stay right.
     */
    record SourceFile(String path, String text, String code, String codeWithStrings, String packageName,
            List<String> topLevel, Map<String, String> imports, List<String> wildcardImports) {

        static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
        static final Pattern IMPORT = Pattern.compile("\\bimport\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;");
        static final Pattern TOP_LEVEL = Pattern.compile(
                "(?m)^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

        static SourceFile of(String path, String text) {
            String withStrings = Java.blank(text, true);
            String code = Java.blank(text, false);
            Matcher p = PACKAGE.matcher(code);
            String pkg = p.find() ? p.group(1) : "";
            Map<String, String> imports = new HashMap<>();
            List<String> wildcards = new ArrayList<>();
            Matcher i = IMPORT.matcher(code);
            while (i.find()) {
                if (i.group(1) != null) {
                    continue;
                }
                if (i.group(3) != null) {
                    wildcards.add(i.group(2));
                } else {
                    imports.put(simple(i.group(2)), i.group(2));
                }
            }
            List<String> top = new ArrayList<>();
            Matcher t = TOP_LEVEL.matcher(code);
            while (t.find()) {
                top.add(t.group(1));
            }
            return new SourceFile(path, text, code, withStrings, pkg, top, imports, wildcards);
        }

        String at(int offset) {
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return "src/main/java/" + path + ":" + line;
        }

        /** A type name as written here ({@code Doctor.Check}, {@code List}) as a binary class name, or null. */
        String resolve(String written, Set<String> known) {
            String[] parts = written.split("\\.");
            if (parts.length > 1 && Character.isLowerCase(parts[0].charAt(0))) {
                int first = 0;
                while (first < parts.length && !Character.isUpperCase(parts[first].charAt(0))) {
                    first++;
                }
                if (first == parts.length) {
                    return null;
                }
                StringBuilder name = new StringBuilder(String.join(".", List.of(parts).subList(0, first + 1)));
                for (int i = first + 1; i < parts.length; i++) {
                    name.append('$').append(parts[i]);
                }
                return name.toString();
            }
            String head = parts[0];
            StringBuilder tail = new StringBuilder();
            for (int i = 1; i < parts.length; i++) {
                tail.append('$').append(parts[i]);
            }
            if (imports.containsKey(head)) {
                return imports.get(head) + tail;
            }
            String prefix = packageName.isEmpty() ? "" : packageName + ".";
            for (String top : topLevel) {
                if (top.equals(head)) {
                    return prefix + top + tail;
                }
                String suffix = "$" + head + tail;
                for (String k : known) {
                    if (k.startsWith(prefix + top + "$") && k.endsWith(suffix)) {
                        return k;
                    }
                }
            }
            if (known.contains(prefix + head)) {
                return prefix + head + tail;
            }
            for (String w : wildcardImports) {
                if (known.contains(w + "." + head) || loadable(w + "." + head)) {
                    return w + "." + head + tail;
                }
            }
            if (loadable("java.lang." + head)) {
                return "java.lang." + head + tail;
            }
            if (Java.PRIMITIVES.contains(head)) {
                return head;
            }
            return null;
        }

        static boolean loadable(String name) {
            try {
                Class.forName(name, false, NativeReadinessTest.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        /** The declared type of an argument expression, as written in this file, or null when it cannot tell. */
        String typeOf(String expression, int at) {
            String e = expression.strip();
            while (e.startsWith("(") && e.endsWith(")") && Java.balanced(e, 0).length() == e.length() - 2) {
                e = e.substring(1, e.length() - 1).strip();
            }
            Matcher cast = Pattern.compile("^\\(\\s*([A-Z][\\w.<>, ?\\[\\]]*)\\)\\s*[\\w.]+$").matcher(e);
            if (cast.matches()) {
                return cast.group(1);
            }
            if (e.startsWith("\"")) {
                return "String";
            }
            Matcher created = Pattern.compile("^new\\s+([\\w.]+)\\s*(?:<[^(]*>)?\\s*\\(").matcher(e);
            if (created.find()) {
                return created.group(1);
            }
            if (e.startsWith("this.")) {
                e = e.substring(5);
            }
            if (e.matches("[a-zA-Z_]\\w*")) {
                return variableType(e, at);
            }
            Matcher method = Pattern.compile("^([a-z_]\\w*)\\s*\\(").matcher(e);
            if (method.find() && Java.balanced(e, method.end() - 1).length() == e.length() - method.end() - 1) {
                Matcher declared = Pattern.compile("([A-Z][\\w.]*(?:\\s*<[^;{}()=]*>)?(?:\\[\\])*)\\s+"
                        + Pattern.quote(method.group(1)) + "\\s*\\(").matcher(code);
                if (declared.find()) {
                    return declared.group(1);
                }
            }
            return null;
        }

        String variableType(String name, int at) {
            // a lambda parameter of xs.forEach(name -> ...): the element type of xs
            Matcher lambda = Pattern.compile("(\\w+)\\s*\\.\\s*forEach\\s*\\(\\s*\\(?\\s*" + Pattern.quote(name)
                    + "\\s*\\)?\\s*->").matcher(code.substring(Math.max(0, at - 300), at));
            String collection = null;
            while (lambda.find()) {
                collection = lambda.group(1);
            }
            if (collection != null) {
                String type = variableType(collection, at);
                if (type == null || !type.contains("<")) {
                    return null;
                }
                return type.substring(type.indexOf('<') + 1, type.lastIndexOf('>')).strip();
            }
            Matcher declared = Pattern.compile("(?<![\\w.])([A-Za-z_][\\w.]*(?:\\s*<[^;{}()=]*>)?(?:\\[\\])*)\\s+"
                    + Pattern.quote(name) + "\\s*(?=[;=:,)])").matcher(code);
            String before = null;
            String after = null;
            while (declared.find()) {
                String type = declared.group(1);
                if (Java.NOT_TYPES.contains(type)) {
                    continue;
                }
                if (declared.start() < at) {
                    before = type;
                } else if (after == null) {
                    after = type;
                }
            }
            String type = before != null ? before : after;
            return type == null || type.equals("var") ? null : type;
        }

        /** The string expressions a resource-name argument can have: itself, or what a local variable was set to. */
        List<String> stringValues(String expression, int at) {
            if (!expression.matches("[a-zA-Z_]\\w*")) {
                return List.of(expression);
            }
            String prefix = codeWithStrings.substring(0, at);
            Matcher loop = Pattern.compile("for\\s*\\(\\s*(?:final\\s+)?String\\s+" + Pattern.quote(expression)
                    + "\\s*:\\s*List\\s*\\.\\s*of\\s*\\(").matcher(prefix);
            Matcher assigned = Pattern.compile("\\bString\\s+" + Pattern.quote(expression) + "\\s*=\\s*([^;]+);")
                    .matcher(prefix);
            int loopAt = -1;
            List<String> loopValues = null;
            while (loop.find()) {
                loopAt = loop.start();
                loopValues = Java.split(Java.balanced(prefix, loop.end() - 1)).stream().map(String::strip).toList();
            }
            int assignedAt = -1;
            String value = null;
            while (assigned.find()) {
                assignedAt = assigned.start();
                value = assigned.group(1).strip();
            }
            if (loopValues != null && loopAt > assignedAt) {
                return loopValues;
            }
            return value != null ? List.of(value) : List.of(expression);
        }
    }

    /** Just enough Java lexing for the scans above. */
    static final class Java {

        static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float",
                "double", "void");
        static final Set<String> NOT_TYPES = Set.of("return", "new", "throw", "else", "case", "yield", "assert",
                "instanceof", "import", "package", "extends", "implements", "throws", "final", "static");

        private Java() {
        }

        /** Blanks comments (and string contents unless keepStrings), keeping newlines and every offset. */
        static String blank(String src, boolean keepStrings) {
            StringBuilder out = new StringBuilder(src);
            int i = 0;
            int n = src.length();
            while (i < n) {
                char c = src.charAt(i);
                if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                    while (i < n && src.charAt(i) != '\n') {
                        out.setCharAt(i++, ' ');
                    }
                } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                    int end = src.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                    for (; i < end; i++) {
                        if (src.charAt(i) != '\n') {
                            out.setCharAt(i, ' ');
                        }
                    }
                } else if (src.startsWith("\"\"\"", i)) {
                    int end = src.indexOf("\"\"\"", i + 3);
                    while (end > 0 && src.charAt(end - 1) == '\\') {
                        end = src.indexOf("\"\"\"", end + 1);
                    }
                    end = end < 0 ? n : end + 3;
                    for (int j = i + 3; !keepStrings && j < end - 3; j++) {
                        if (src.charAt(j) != '\n') {
                            out.setCharAt(j, ' ');
                        }
                    }
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                        j += src.charAt(j) == '\\' ? 2 : 1;
                    }
                    for (int k = i + 1; !keepStrings && k < Math.min(j, n); k++) {
                        out.setCharAt(k, ' ');
                    }
                    i = j + 1;
                } else {
                    i++;
                }
            }
            return out.toString();
        }

        /** The text between the bracket at {@code open} and its partner (strings skipped). */
        static String balanced(String s, int open) {
            char o = s.charAt(open);
            char close = o == '(' ? ')' : o == '[' ? ']' : o == '{' ? '}' : o == '<' ? '>' : 0;
            int depth = 0;
            for (int i = open; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    i = skipString(s, i);
                } else if (c == o) {
                    depth++;
                } else if (c == close && --depth == 0) {
                    return s.substring(open + 1, i);
                }
            }
            return s.substring(open + 1);
        }

        static String balancedAngle(String s, int open) {
            return balanced(s, open);
        }

        static int skipString(String s, int i) {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != '"') {
                j += s.charAt(j) == '\\' ? 2 : 1;
            }
            return j;
        }

        /** Splits an argument list at its top-level commas. */
        static List<String> split(String args) {
            List<String> out = new ArrayList<>();
            if (args.isBlank()) {
                return out;
            }
            int depth = 0;
            int start = 0;
            for (int i = 0; i < args.length(); i++) {
                char c = args.charAt(i);
                if (c == '"') {
                    i = skipString(args, i);
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    out.add(args.substring(start, i));
                    start = i + 1;
                }
            }
            out.add(args.substring(start));
            return out;
        }

        /** The type names in a type as written: {@code Map<String, List<Doctor.Check>>} gives Map, String, List, Doctor.Check. */
        static List<String> typeNames(String type) {
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("[A-Za-z_][\\w]*(?:\\s*\\.\\s*[A-Za-z_]\\w*)*").matcher(type);
            while (m.find()) {
                String name = m.group().replaceAll("\\s", "");
                if (!name.equals("extends") && !name.equals("super")) {
                    out.add(name);
                }
            }
            return out;
        }

        /**
         * A regex for the names a string concatenation can produce: literals as they are, anything else as
         * {@code .*}; null when there is no literal with a folder or an extension in it.
         */
        static String concatenationRegex(String expression) {
            StringBuilder regex = new StringBuilder();
            boolean anchored = false;
            int depth = 0;
            int start = 0;
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < expression.length(); i++) {
                char c = expression.charAt(i);
                if (c == '"') {
                    i = skipString(expression, i);
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '+' && depth == 0) {
                    parts.add(expression.substring(start, i).strip());
                    start = i + 1;
                }
            }
            parts.add(expression.substring(start).strip());
            for (String part : parts) {
                if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
                    String literal = unescape(part.substring(1, part.length() - 1));
                    anchored |= literal.contains("/") || literal.contains(".");
                    regex.append(Pattern.quote(literal));
                } else if (!regex.toString().endsWith(".*")) {
                    regex.append(".*");
                }
            }
            return anchored ? regex.toString() : null;
        }

        static String unescape(String s) {
            return s.replace("\\\"", "\"").replace("\\\\", "\\");
        }
    }
}
